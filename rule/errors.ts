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
