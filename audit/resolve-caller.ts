/**
 * The audit's first phase: resolve the profile and home region as the AWS CLI would, and ask STS who
 * the caller is. Any failure stops the run with a message that says what to do.
 */
import type { CallerIdentity } from './account-access';
import { callerIdentity } from './account-access';
import type { AccountAccess } from './audit-clients';
import { AuditStopError, type AuditRunContext } from './audit-run-context';
import { resolveAwsCliSettings, UnknownProfileError } from './aws-cli-settings';
import { checkRegionName } from './check-region-name';
import { classifyRegionFailure } from './region-failure';
import { withinDeadline } from './scan-accounts';

/** Who runs the audit, and from where. */
export interface ResolvedCaller {
  /** The region whose STS, Organizations and EC2 `DescribeRegions` the audit calls. */
  readonly home: string;
  /** The caller's profile, or the default chain. */
  readonly access: AccountAccess;
  /** The caller's account and partition. */
  readonly identity: CallerIdentity;
}

async function homeRegionOf(run: AuditRunContext): Promise<{ home: string; access: AccountAccess }> {
  const { options, env } = run;
  let settings;
  try {
    settings = await resolveAwsCliSettings(options, env);
  } catch (error) {
    if (error instanceof UnknownProfileError) throw new AuditStopError(error.message);
    throw error;
  }
  const listed = options.regions.kind === 'listed' ? options.regions.regions : undefined;
  const home = settings.region ?? listed?.[0];
  if (home === undefined) {
    throw new AuditStopError(
      'No region configured: pass --region or --regions us-east-1,..., or set AWS_REGION, AWS_DEFAULT_REGION or a profile region (--all-regions too needs one, to ask which regions are enabled).',
    );
  }
  // The options' regions are checked already; a configured one (AWS_REGION, the profile) is checked here.
  const verdict = checkRegionName(home);
  if (verdict.kind === 'typo') {
    throw new AuditStopError(
      `the configured region ${JSON.stringify(home)} is not a known region (did you mean ${verdict.suggestion}?); fix AWS_REGION, AWS_DEFAULT_REGION or the profile's region, or pass --region.`,
    );
  }
  return { home, access: settings.profile === undefined ? {} : { profile: settings.profile } };
}

/**
 * Resolves the caller.
 *
 * @param run - the options, environment and stderr
 * @returns the home region, the caller's access and identity
 * @throws AuditStopError when the profile, region or caller cannot be resolved
 */
export async function resolveCaller(run: AuditRunContext): Promise<ResolvedCaller> {
  const { home, access } = await homeRegionOf(run);
  try {
    // --timeout bounds this call too; past it the call is aborted, so no socket keeps the process alive.
    const identity = await withinDeadline(run.options.timeoutSeconds * 1000, (abortSignal) =>
      callerIdentity(home, { ...access, abortSignal }),
    );
    return { home, access, identity };
  } catch (error) {
    const failure = classifyRegionFailure(home, error);
    throw new AuditStopError(
      failure.kind === 'no-credentials'
        ? failure.message
        : `could not identify the caller (sts:GetCallerIdentity in ${home}): ${failure.message}`,
    );
  }
}
