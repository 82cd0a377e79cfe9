import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ComplianceType } from './types';

/** The service name logs and metrics carry unless `POWERTOOLS_SERVICE_NAME` says otherwise. */
export const SERVICE_NAME = 'client-vpn-connection-logging';

/** The CloudWatch metrics namespace unless `POWERTOOLS_METRICS_NAMESPACE` says otherwise. */
export const DEFAULT_METRICS_NAMESPACE = 'ClientVpnConnectionLogging';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME || SERVICE_NAME;

/** Structured JSON logs of the rule (level from `POWERTOOLS_LOG_LEVEL`). */
export const logger = new Logger({ serviceName });

/** EMF metrics of the rule, flushed once per invocation. */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || DEFAULT_METRICS_NAMESPACE,
  serviceName,
});

/** The metric each verdict is counted under. */
export const VERDICT_METRIC_NAMES: Readonly<Record<ComplianceType, string>> = {
  COMPLIANT: 'CompliantEvaluations',
  NON_COMPLIANT: 'NonCompliantEvaluations',
  NOT_APPLICABLE: 'NotApplicableEvaluations',
};

/**
 * Counts one invocation's verdicts (zeros included, so dashboards show a steady series) and flushes
 * them as one EMF record. Nothing is flushed for an invocation that failed before deciding.
 *
 * @param counts - how many evaluations of each verdict the invocation put
 * @param configRuleName - the rule, recorded as metadata rather than a dimension
 */
export function publishVerdictCounts(
  counts: Readonly<Record<ComplianceType, number>>,
  configRuleName: string,
): void {
  for (const [compliance, name] of Object.entries(VERDICT_METRIC_NAMES) as [ComplianceType, string][]) {
    metrics.addMetric(name, MetricUnit.Count, counts[compliance]);
  }
  metrics.addMetadata('configRuleName', configRuleName);
  metrics.publishStoredMetrics();
}

/**
 * Counts an invocation that failed, by error name, and flushes it.
 *
 * @param error - what the invocation threw
 */
export function publishFailure(error: unknown): void {
  metrics.addMetadata('error', error instanceof Error ? error.name : 'unknown');
  metrics.addMetric('FailedInvocations', MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}
