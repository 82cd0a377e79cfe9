/**
 * The audit command, as a function of its checked options and streams that returns the exit status:
 * resolve the profile, region and caller as the AWS CLI would, list the organization's accounts
 * when asked, scan every account×region pair with the rule's sweep, print the findings, and
 * remediate when asked. cli/audit-command.ts reads the options; bin/ is the process edge.
 */
import { writeFile } from 'node:fs/promises';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';

import { assumeAuditRole, callerIdentity, roleArn, type CallerIdentity } from './account-access';
import { asffFindings } from './asff-finding';
import { askConfirmation } from './ask-confirmation';
import { clientConfig, createAuditClients, type AccountAccess, type AuditClients } from './audit-clients';
import { resolveAwsCliSettings, UnknownProfileError } from './aws-cli-settings';
import { AuditOptionError, automationRolesByRegion, type AuditOptions } from './options';
import { AccountNotInOrganizationError, listOrganizationAccounts } from './organization-accounts';
import { classifyRegionFailure, IGNORABLE_REGION_FAILURES } from './region-failure';
import { remediateEndpoints } from './remediate-endpoints';
import { formatCsv, formatJson, formatSummary, formatTable } from './report-format';
import { runbookParametersFor } from './runbook-parameters';
import { enabledRegions, scanAccounts } from './scan-accounts';
import { startScanProgressBar } from './scan-progress-bar';
import { withoutControlCharacters } from './terminal-text';

/** Exit status: 0 all compliant, 1 any NON_COMPLIANT, 2 on error. */
export type AuditExitCode = 0 | 1 | 2;

/** A stream that may be a terminal. */
export type TerminalStream = NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };

/** The streams and environment the command talks through. */
export interface AuditStreams {
  /** Findings go here, and nothing else. */
  readonly stdout: TerminalStream;
  /** Warnings, progress, failures, the summary, prompts and remediation outcomes go here. */
  readonly stderr: TerminalStream;
  /** Confirmation answers are read from here; must be a terminal unless `--yes`. */
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /**
   * The environment (`AWS_PROFILE`, `AWS_REGION`, `NO_COLOR`, `AWS_ENDPOINT_URL*`).
   * @default process.env
   */
  readonly env?: NodeJS.ProcessEnv;
}

// Errors that say the caller may not list the organization, or there is none.
const NOT_AN_ORGANIZATION_ADMINISTRATOR = new Set([
  'AccessDeniedException',
  'AWSOrganizationsNotInUseException',
]);
// STS answers AccessDenied both when the role does not exist and when it does not trust the caller.
const ROLE_NOT_ASSUMABLE = 'AccessDenied';

class AccountStepError extends Error {
  public override readonly name = 'AccountStepError';

  public constructor(
    public readonly step: string,
    public override readonly cause: unknown,
  ) {
    super(step);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Runs the audit command.
 *
 * @param options - the checked options
 * @param streams - stdout, stderr, stdin and the environment
 * @returns the exit status
 */
export async function runAudit(options: AuditOptions, streams: AuditStreams): Promise<AuditExitCode> {
  const { stdout, stderr, stdin } = streams;
  const env = streams.env ?? process.env;
  const say = (text: string): void => void stderr.write(`${withoutControlCharacters(text, true)}\n`);

  for (const name of Object.keys(env)
    .filter((n) => /^AWS_ENDPOINT_URL(_|$)/.test(n))
    .sort()) {
    say(`audit: warning: ${name} is set (${env[name]}): calls go there, not to the AWS endpoints.`);
  }
  if (options.remediate && !options.yes && stdin.isTTY !== true) {
    say(
      'audit: --remediate asks for confirmation, but stdin is not a terminal. Run it in a terminal, or add --yes to remediate without asking.',
    );
    return 2;
  }

  let settings;
  try {
    settings = await resolveAwsCliSettings(options, env);
  } catch (error) {
    if (!(error instanceof UnknownProfileError)) throw error;
    say(`audit: ${error.message}`);
    return 2;
  }
  const listed = options.regions.kind === 'listed' ? options.regions.regions : undefined;
  const home = settings.region ?? listed?.[0];
  if (home === undefined) {
    say(
      'audit: No region configured: pass --region or --regions us-east-1,..., or set AWS_REGION, AWS_DEFAULT_REGION or a profile region (--all-regions too needs one, to ask which regions are enabled).',
    );
    return 2;
  }
  const callerAccess: AccountAccess = settings.profile === undefined ? {} : { profile: settings.profile };

  let identity: CallerIdentity;
  try {
    identity = await callerIdentity(home, callerAccess);
  } catch (error) {
    const failure = classifyRegionFailure(home, error);
    say(
      failure.kind === 'no-credentials'
        ? `audit: ${failure.message}`
        : `audit: could not identify the caller (sts:GetCallerIdentity in ${home}): ${failure.message}`,
    );
    return 2;
  }

  const sts = new STSClient(clientConfig(home, callerAccess));
  const kept = new Map<string, AuditClients>();
  try {
    return await audit(identity, home, callerAccess, sts, kept);
  } finally {
    sts.destroy();
    for (const c of kept.values()) c.destroy();
  }

  async function audit(
    caller: CallerIdentity,
    homeRegion: string,
    access: AccountAccess,
    stsClient: STSClient,
    singleAccountClients: Map<string, AuditClients>,
  ): Promise<AuditExitCode> {
    const opts = options;
    const organization = opts.organization;
    const excluded = (regions: readonly string[]): string[] =>
      regions.filter((r) => !opts.excludeRegions.includes(r));
    const homeClients = (accountAccess: AccountAccess) => createAuditClients(homeRegion, accountAccess);

    let accounts: string[];
    if (organization === undefined) {
      accounts = [caller.accountId];
    } else {
      const organizations = new OrganizationsClient(clientConfig(homeRegion, access));
      try {
        accounts = (await listOrganizationAccounts(organizations, organization)).map((a) => a.id);
      } catch (error) {
        if (error instanceof AccountNotInOrganizationError) {
          say(`audit: ${error.message}`);
          return 2;
        }
        const name = error instanceof Error ? error.name : '';
        say(
          NOT_AN_ORGANIZATION_ADMINISTRATOR.has(name)
            ? `audit: could not list the organization's accounts (${errorText(error)}). --organization runs from the management account or a delegated administrator account.`
            : `audit: could not list the organization's accounts: ${errorText(error)}`,
        );
        return 2;
      } finally {
        organizations.destroy();
      }
      if (accounts.length === 0) {
        say('audit: the selection leaves no ACTIVE account to scan.');
        return 2;
      }
    }

    const regionsIn = async (accountAccess: AccountAccess): Promise<readonly string[]> => {
      if (opts.regions.kind !== 'all')
        return excluded(opts.regions.kind === 'listed' ? opts.regions.regions : [homeRegion]);
      const clients = homeClients(accountAccess);
      try {
        return excluded(await enabledRegions(clients));
      } catch (error) {
        throw new AccountStepError(`could not list the account's regions from ${homeRegion}`, error);
      } finally {
        clients.destroy();
      }
    };

    // One account: the regions are known before scanning, so a role for a region not scanned is refused first.
    let singleAccountRegions: readonly string[] = [];
    let automationAssumeRoles: ReadonlyMap<string, string> = new Map();
    if (organization === undefined) {
      try {
        singleAccountRegions = await regionsIn(access);
      } catch (error) {
        const cause = error instanceof AccountStepError ? error.cause : error;
        const failure = classifyRegionFailure(homeRegion, cause);
        say(
          failure.kind === 'no-credentials'
            ? `audit: ${failure.message}`
            : `audit: could not list the account's regions from ${homeRegion}: ${failure.message}`,
        );
        return 2;
      }
      try {
        automationAssumeRoles = automationRolesByRegion(
          opts.automationAssumeRole,
          singleAccountRegions,
          opts.remediate,
        );
      } catch (error) {
        if (!(error instanceof AuditOptionError)) throw error;
        say(`audit: ${error.message}\nRun "client-vpn-logging audit --help" for the options.`);
        return 2;
      }
    }

    // An organization scan builds clients for every account×region pair: they share one handler, so
    // sockets are reused across pairs, at most `concurrency` to a host, as many as the scan can use.
    const sharedHandler =
      organization === undefined
        ? undefined
        : new NodeHttpHandler({
            httpAgent: new HttpAgent({ keepAlive: true, maxSockets: opts.concurrency }),
            httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: opts.concurrency }),
          });
    const accessTo = async (accountId: string): Promise<AccountAccess> => {
      if (organization === undefined) return access;
      const arn = roleArn(caller.partition, accountId, organization.roleName);
      try {
        return {
          ...(await assumeAuditRole(stsClient, arn)),
          requestHandler: sharedHandler as NodeHttpHandler,
        };
      } catch (error) {
        // The caller's own account: its own credentials serve when the role is not there.
        if (accountId === caller.accountId && error instanceof Error && error.name === ROLE_NOT_ASSUMABLE) {
          say(
            `audit: ${accountId} (the caller's account): ${arn} cannot be assumed; scanning with the caller's own credentials.`,
          );
          return { ...access, requestHandler: sharedHandler as NodeHttpHandler };
        }
        throw new AccountStepError(`could not assume ${arn}`, error);
      }
    };

    const bar = startScanProgressBar(stderr);
    let report;
    try {
      report = await scanAccounts({
        accounts,
        accessTo,
        regionsOf: async (_accountId, accountAccess) =>
          organization === undefined ? singleAccountRegions : regionsIn(accountAccess),
        clientsFor: (_accountId, region, accountAccess) => {
          if (organization !== undefined) return createAuditClients(region, accountAccess);
          let clients = singleAccountClients.get(region);
          if (clients === undefined)
            singleAccountClients.set(region, (clients = createAuditClients(region, accountAccess)));
          return clients;
        },
        releaseClients: organization !== undefined,
        parameters: opts.parameters,
        concurrency: opts.concurrency,
        onProgress: (p) => bar.update(p),
        describeAccountFailure: (_accountId, error) => {
          const step = error instanceof AccountStepError ? error.step : 'failed';
          const cause = error instanceof AccountStepError ? error.cause : error;
          const hint =
            cause instanceof Error && cause.name === ROLE_NOT_ASSUMABLE
              ? '; the role must exist in the account and trust the caller (sts:AssumeRole)'
              : '';
          return `${step}: ${errorText(cause)}${hint}`;
        },
      });
    } finally {
      bar.stop();
      sharedHandler?.destroy();
    }

    const noCredentials = report.failures.find((f) => f.kind === 'no-credentials');
    if (noCredentials !== undefined) {
      say(`audit: ${noCredentials.message}`);
      return 2;
    }

    const shown =
      opts.statuses === undefined
        ? report.findings
        : report.findings.filter((f) => opts.statuses?.includes(f.compliance));
    const rendered = render(shown, caller, organization !== undefined);
    if (opts.outputFile === undefined) stdout.write(rendered);
    else {
      try {
        await writeFile(opts.outputFile, rendered);
      } catch (error) {
        say(`audit: --output-file: could not write ${opts.outputFile}: ${errorText(error)}`);
        return 2;
      }
    }

    const where = (accountId: string | undefined, region: string): string =>
      organization === undefined || accountId === undefined ? region : `${accountId}/${region}`;
    for (const failure of report.failures)
      say(`audit: ${where(failure.accountId, failure.region)}: ${failure.message}`);
    for (const failure of report.accountFailures)
      say(`audit: account ${failure.accountId}: ${failure.message}`);
    say(
      formatSummary({
        findings: report.findings,
        regionsScanned: report.scanned.length,
        regionsWithoutEndpoints: report.scanned.filter((s) => s.endpoints === 0).length,
        accountsScanned: new Set(report.scanned.map((s) => s.accountId)).size,
        failedRegions: report.failures.map((f) => `${where(f.accountId, f.region)} (${f.kind})`),
        failedAccounts: report.accountFailures.map((f) => f.accountId),
      }),
    );

    const nonCompliant = report.findings.filter((f) => f.compliance === 'NON_COMPLIANT');
    let remediationFailed = false;
    if (opts.remediate && nonCompliant.length > 0) {
      remediationFailed = await remediate(nonCompliant, automationAssumeRoles, (region) => {
        let clients = singleAccountClients.get(region);
        if (clients === undefined)
          singleAccountClients.set(region, (clients = createAuditClients(region, access)));
        return clients;
      });
    }

    const failed =
      report.accountFailures.length > 0 ||
      report.failures.some((f) => !(opts.ignoreFailedRegions && IGNORABLE_REGION_FAILURES.has(f.kind)));
    if (failed || remediationFailed) return 2;
    return nonCompliant.length > 0 ? 1 : 0;
  }

  function render(
    findings: Parameters<typeof formatJson>[0],
    caller: CallerIdentity,
    showAccount: boolean,
  ): string {
    switch (options.output) {
      case 'json':
        return formatJson(findings);
      case 'csv':
        return formatCsv(findings);
      case 'asff':
        return `${JSON.stringify(asffFindings(findings, caller.partition, new Date()), null, 2)}\n`;
      case 'table': {
        const toTerminal = options.outputFile === undefined && stdout.isTTY === true;
        const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
        return formatTable(findings, {
          ...(toTerminal && stdout.columns !== undefined ? { width: stdout.columns } : {}),
          color: toTerminal && options.color && !noColor,
          showAccount,
        });
      }
    }
  }

  async function remediate(
    nonCompliant: Parameters<typeof remediateEndpoints>[0],
    automationAssumeRoles: ReadonlyMap<string, string>,
    clientsFor: (region: string) => AuditClients,
  ): Promise<boolean> {
    const opts = options;
    say(
      `\n${nonCompliant.length} NON_COMPLIANT endpoint(s) to remediate with the runbook ${opts.documentName}:`,
    );
    for (const f of nonCompliant) say(`  ${f.region}  ${f.endpointId}`);
    const go =
      opts.yes ||
      (await askConfirmation(
        `Start ${opts.documentName} for these ${nonCompliant.length} endpoint(s)?`,
        stdin,
        stderr,
      ));
    if (!go) {
      say('Remediation cancelled; nothing was started.');
      return false;
    }
    const outcomes = await remediateEndpoints(nonCompliant, {
      documentName: opts.documentName,
      automationAssumeRoles,
      runbookParameters: runbookParametersFor(opts.parameters),
      clientsFor,
    });
    let failed = false;
    const saidForRegion = new Set<string>();
    for (const o of outcomes) {
      if (o.automationExecutionId !== undefined) {
        say(`  started ${o.automationExecutionId} for ${o.endpointId} (${o.region})`);
        continue;
      }
      failed = true;
      if (!o.regionWide) {
        say(`  could not start for ${o.endpointId} (${o.region}): ${o.problem}`);
      } else if (!saidForRegion.has(o.region)) {
        saidForRegion.add(o.region);
        say(`  ${o.problem}`);
      }
    }
    return failed;
  }
}
