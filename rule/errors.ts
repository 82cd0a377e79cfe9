/**
 * Named errors of the Client VPN connection-logging rule. Each message names the problem, so a
 * failed invocation in the Lambda's log says what to fix without reading the code.
 */

/** The Config event could not be read: invalid JSON, an unknown message type or a missing item. */
export class MalformedEventError extends Error {
  public override readonly name = 'MalformedEventError';
}

/** A rule parameter is unknown or its value does not parse; nothing is evaluated then. */
export class InvalidRuleParameterError extends Error {
  public override readonly name = 'InvalidRuleParameterError';

  /**
   * @param parameter - the offending parameter's name, as it appears in `ruleParameters`
   * @param problem - what is wrong with it
   */
  public constructor(
    public readonly parameter: string,
    problem: string,
  ) {
    super(`Invalid rule parameter "${parameter}": ${problem}`);
  }
}

/** AWS Config kept refusing some evaluations after every retry. */
export class EvaluationsNotAcceptedError extends Error {
  public override readonly name = 'EvaluationsNotAcceptedError';

  /**
   * @param failed - the evaluations Config still reported as failed, as `resourceType/resourceId`
   */
  public constructor(public readonly failed: readonly string[]) {
    super(
      `AWS Config did not accept ${failed.length} evaluation(s) after retrying: ${failed.slice(0, 20).join(', ')}` +
        (failed.length > 20 ? ` and ${failed.length - 20} more` : ''),
    );
  }
}

/** The organization-mode execution role could not be assumed in the event's account. */
export class ExecutionRoleAssumptionError extends Error {
  public override readonly name = 'ExecutionRoleAssumptionError';

  /**
   * @param roleArn - the role the rule tried to assume
   * @param cause - why STS refused, when it said
   */
  public constructor(
    public readonly roleArn: string,
    cause?: unknown,
  ) {
    super(
      `Could not assume the execution role ${roleArn}: ${cause instanceof Error ? cause.message : String(cause ?? 'no credentials returned')}. ` +
        'Deploy the member-account role (or fix its trust policy) and check the executionRoleName rule parameter.',
      { cause },
    );
  }
}

/** AWS Config could not give the full configuration item an oversized change notification refers to. */
export class ConfigurationItemUnavailableError extends Error {
  public override readonly name = 'ConfigurationItemUnavailableError';
}

/**
 * An evaluation of the rule is already running (Config answered `LimitExceededException`), so the
 * change that triggered this invocation is not yet covered. Retryable: thrown so that Lambda's
 * asynchronous retries start the evaluation later; it is an expected outcome, not a product failure.
 */
export class ReEvaluationPendingError extends Error {
  public override readonly name = 'ReEvaluationPendingError';

  /**
   * @param configRuleName - the rule whose evaluation could not start yet
   * @param attempts - how many times this invocation tried
   */
  public constructor(
    public readonly configRuleName: string,
    attempts: number,
  ) {
    super(
      `An evaluation of ${configRuleName} is still running after ${attempts} attempt(s) to start a new one; Lambda retries this event.`,
    );
  }
}

/** The re-evaluation trigger's environment does not say which rule to start. */
export class TriggerConfigurationError extends Error {
  public override readonly name = 'TriggerConfigurationError';
}
