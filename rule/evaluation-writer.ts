import {
  type ConfigServiceClient,
  type Evaluation,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { EvaluationsNotAcceptedError } from './errors';

/** The most evaluations PutEvaluations accepts in one call. */
export const EVALUATIONS_PER_CALL = 100;

/** The result token AWS Config sends when the rule is being tested; its evaluations are not recorded. */
export const TEST_MODE_RESULT_TOKEN = 'TESTMODE';

/** How evaluations that Config reports as failed are retried. */
export interface EvaluationRetryOptions {
  /**
   * The waits, in milliseconds, before each retry of the evaluations Config reported as failed.
   * @default [200, 800, 3200]
   */
  readonly retryDelaysMs?: readonly number[];
  /**
   * How to wait; replaceable so tests need not wait.
   * @default a `setTimeout` promise
   */
  readonly sleep?: (milliseconds: number) => Promise<void>;
}

const DEFAULT_RETRY_DELAYS_MS = [200, 800, 3200];

const sleepFor = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

function describe(evaluation: Evaluation): string {
  return `${evaluation.ComplianceResourceType}/${evaluation.ComplianceResourceId}`;
}

function sameResource(a: Evaluation, b: Evaluation): boolean {
  return (
    a.ComplianceResourceType === b.ComplianceResourceType && a.ComplianceResourceId === b.ComplianceResourceId
  );
}

/**
 * Puts evaluations in calls of at most 100, retrying (with growing waits) those Config reports as
 * failed, so none is silently dropped. A `TESTMODE` result token puts them with `TestMode: true`.
 *
 * @param config - the Config client of the account the result token belongs to
 * @param evaluations - the evaluations to put
 * @param resultToken - the event's result token
 * @param options - retry timing
 * @throws EvaluationsNotAcceptedError listing the evaluations still failed after every retry, once all batches were tried
 */
export async function putEvaluations(
  config: ConfigServiceClient,
  evaluations: readonly Evaluation[],
  resultToken: string,
  options: EvaluationRetryOptions = {},
): Promise<void> {
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const sleep = options.sleep ?? sleepFor;
  const testMode = resultToken === TEST_MODE_RESULT_TOKEN;
  const stillFailed: Evaluation[] = [];
  for (let start = 0; start < evaluations.length; start += EVALUATIONS_PER_CALL) {
    let pending = evaluations.slice(start, start + EVALUATIONS_PER_CALL);
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      const response = await config.send(
        new PutEvaluationsCommand({
          Evaluations: pending,
          ResultToken: resultToken,
          ...(testMode ? { TestMode: true } : {}),
        }),
      );
      const failed = response.FailedEvaluations ?? [];
      pending = pending.filter((evaluation) => failed.some((entry) => sameResource(entry, evaluation)));
      if (pending.length === 0) break;
      if (attempt >= delays.length) {
        stillFailed.push(...pending);
        break;
      }
      await sleep(delays[attempt]);
    }
  }
  if (stillFailed.length > 0) throw new EvaluationsNotAcceptedError(stillFailed.map(describe));
}
