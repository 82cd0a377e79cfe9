/**
 * Starts the deployed remediation runbook for NON_COMPLIANT endpoints, region by region, after
 * checking the runbook is deployed there so a missing deployment is said once, plainly.
 */
import {
  DescribeDocumentCommand,
  type DocumentParameter,
  StartAutomationExecutionCommand,
} from '@aws-sdk/client-ssm';

import type { AuditClientsFactory } from './audit-clients';
import type { AuditFinding } from './audit-finding';

/** What happened when remediating one endpoint. */
export interface RemediationOutcome {
  /** The endpoint's region. */
  readonly region: string;
  /** The endpoint ID. */
  readonly endpointId: string;
  /** The automation execution started, when one was. */
  readonly automationExecutionId?: string;
  /** Why none was started, when none was. */
  readonly problem?: string;
  /** Whether the problem is the region's (runbook missing or needing a parameter), not this endpoint's. */
  readonly regionWide?: boolean;
}

/** Options of {@link remediateEndpoints}. */
export interface RemediationOptions {
  /** The runbook's SSM document name. */
  readonly documentName: string;
  /**
   * The role passed to the runbook as `AutomationAssumeRole`, by region: the role is regional, so
   * each region gets its own, and a region without one passes none.
   * @default no role in any region
   */
  readonly automationAssumeRoles?: ReadonlyMap<string, string>;
  /**
   * Further runbook parameters, the same in every region (see `runbookParametersFor`).
   * @default none: the runbook's defaults
   */
  readonly runbookParameters?: Readonly<Record<string, string[]>>;
  /** Builds a region's clients. */
  readonly clientsFor: AuditClientsFactory;
}

// DescribeDocument answers InvalidDocument, StartAutomationExecution AutomationDefinitionNotFoundException.
const NOT_DEPLOYED = new Set(['InvalidDocument', 'AutomationDefinitionNotFoundException']);

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Says which of the runbook's required parameters (those without a default) the audit would not
 * pass, so a region is refused once, plainly, instead of each start failing alike.
 */
function missingParameters(
  declared: readonly DocumentParameter[],
  options: RemediationOptions,
  region: string,
): string | undefined {
  const passed = new Set([
    'ClientVpnEndpointId',
    ...(options.automationAssumeRoles?.has(region) ? ['AutomationAssumeRole'] : []),
  ]);
  const missing = declared
    .filter((p) => p.Name !== undefined && p.DefaultValue === undefined && !passed.has(p.Name))
    .map((p) => p.Name as string);
  if (missing.length === 0) return undefined;
  if (missing.includes('AutomationAssumeRole')) {
    return (
      `runbook ${options.documentName} in ${region} needs AutomationAssumeRole: pass --automation-assume-role ` +
      `with the ARN of the role the stack created in ${region} (its AutomationAssumeRoleName output), ` +
      `as ${region}=ARN or as an ARN with {region} in its role name when several regions are scanned`
    );
  }
  return `runbook ${options.documentName} in ${region} needs parameter(s) ${missing.join(', ')}, which the audit does not pass; use the project's runbook or --document-name`;
}

/**
 * Starts the runbook once per endpoint, one region after another.
 *
 * @param endpoints - the NON_COMPLIANT findings to remediate
 * @param options - the runbook and clients
 * @returns one outcome per endpoint, in the order given
 */
export async function remediateEndpoints(
  endpoints: readonly AuditFinding[],
  options: RemediationOptions,
): Promise<RemediationOutcome[]> {
  const outcomes: RemediationOutcome[] = [];
  const regions = [...new Set(endpoints.map((e) => e.region))];
  for (const region of regions) {
    const inRegion = endpoints.filter((e) => e.region === region);
    const { ssm } = options.clientsFor(region);
    const role = options.automationAssumeRoles?.get(region);
    const notDeployed = `runbook ${options.documentName} is not deployed in ${region}; deploy the remediation stack there or pass --document-name`;
    let regionProblem: string | undefined;
    try {
      const { Document } = await ssm.send(new DescribeDocumentCommand({ Name: options.documentName }));
      regionProblem = missingParameters(Document?.Parameters ?? [], options, region);
    } catch (error) {
      regionProblem = error instanceof Error && NOT_DEPLOYED.has(error.name) ? notDeployed : errorText(error);
    }
    for (const { endpointId } of inRegion) {
      if (regionProblem !== undefined) {
        outcomes.push({ region, endpointId, problem: regionProblem, regionWide: true });
        continue;
      }
      try {
        const started = await ssm.send(
          new StartAutomationExecutionCommand({
            DocumentName: options.documentName,
            Parameters: {
              ...options.runbookParameters,
              ClientVpnEndpointId: [endpointId],
              ...(role === undefined ? {} : { AutomationAssumeRole: [role] }),
            },
          }),
        );
        outcomes.push({
          region,
          endpointId,
          ...(started.AutomationExecutionId ? { automationExecutionId: started.AutomationExecutionId } : {}),
        });
      } catch (error) {
        const problem =
          error instanceof Error && NOT_DEPLOYED.has(error.name) ? notDeployed : errorText(error);
        outcomes.push({ region, endpointId, problem });
      }
    }
  }
  return outcomes;
}
