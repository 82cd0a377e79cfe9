import { CLIENT_VPN_ENDPOINT_RESOURCE_TYPE } from './types';
import {
  type ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
} from '@aws-sdk/client-config-service';

// GetComplianceDetailsByConfigRule returns at most 100 results a page.
const RESULTS_PER_PAGE = 100;

/**
 * Lists the Client VPN endpoints this rule last judged COMPLIANT or NON_COMPLIANT, following every
 * page, so the sweep can mark those that no longer exist NOT_APPLICABLE.
 *
 * @param config - the Config client of the account the rule lives in
 * @param configRuleName - the rule's name, as the event gives it
 * @returns the endpoint IDs, each once
 */
export async function listEvaluatedEndpointIds(
  config: ConfigServiceClient,
  configRuleName: string,
): Promise<string[]> {
  const ids = new Set<string>();
  let nextToken: string | undefined;
  do {
    const page = await config.send(
      new GetComplianceDetailsByConfigRuleCommand({
        ConfigRuleName: configRuleName,
        // NOT_APPLICABLE results need no second NOT_APPLICABLE.
        ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'],
        Limit: RESULTS_PER_PAGE,
        ...(nextToken ? { NextToken: nextToken } : {}),
      }),
    );
    for (const result of page.EvaluationResults ?? []) {
      const qualifier = result.EvaluationResultIdentifier?.EvaluationResultQualifier;
      if (qualifier?.ResourceType === CLIENT_VPN_ENDPOINT_RESOURCE_TYPE && qualifier.ResourceId) {
        ids.add(qualifier.ResourceId);
      }
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return [...ids];
}
