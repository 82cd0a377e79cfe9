import { CLIENT_VPN_ENDPOINT_RESOURCE_TYPE } from './types';
import {
  type ConfigServiceClient,
  paginateGetComplianceDetailsByConfigRule,
} from '@aws-sdk/client-config-service';
import { boundedPages } from './bounded-pages';

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
  const pages = paginateGetComplianceDetailsByConfigRule(
    { client: config, pageSize: RESULTS_PER_PAGE },
    {
      ConfigRuleName: configRuleName,
      // NOT_APPLICABLE results need no second NOT_APPLICABLE.
      ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'],
    },
  );
  for await (const page of boundedPages(pages, {
    operation: 'GetComplianceDetailsByConfigRule',
    nextTokenOf: (p) => p.NextToken,
  })) {
    for (const result of page.EvaluationResults ?? []) {
      const qualifier = result.EvaluationResultIdentifier?.EvaluationResultQualifier;
      if (qualifier?.ResourceType === CLIENT_VPN_ENDPOINT_RESOURCE_TYPE && qualifier.ResourceId) {
        ids.add(qualifier.ResourceId);
      }
    }
  }
  return [...ids];
}
