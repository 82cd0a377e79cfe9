/**
 * Named errors of the Client VPN connection-logging rule. Each message names the problem, so a
 * failed invocation in the Lambda's log says what to fix without reading the code. Every one extends {@link RuleError}.
 */

/** The root of the rule's errors, so a caller can tell the rule's refusals from any other failure. */
export class RuleError extends Error {
  public override name = 'RuleError';
}

/** The Config event could not be read: invalid JSON, an unknown message type or a missing item. */
export class MalformedEventError extends RuleError {
  public override readonly name = 'MalformedEventError';
}

/** A rule parameter is unknown or its value does not parse; nothing is evaluated then. */
export class InvalidRuleParameterError extends RuleError {
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
export class EvaluationsNotAcceptedError extends RuleError {
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
export class ExecutionRoleAssumptionError extends RuleError {
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
        'Deploy the member-account stack in that account and region (or fix its trust policy), and check that the stacks agree on the role names.',
      { cause },
    );
  }
}

/** AWS Config could not give the full configuration item an oversized change notification refers to. */
export class ConfigurationItemUnavailableError extends RuleError {
  public override readonly name = 'ConfigurationItemUnavailableError';
}

/**
 * The event's `accountId` is not the account its own `configRuleArn` names. AWS Config sends a rule's
 * events for the account that owns the rule, so such an event was not built by Config for one rule;
 * the rule acts for neither account.
 */
export class RuleAccountMismatchError extends RuleError {
  public override readonly name = 'RuleAccountMismatchError';

  /**
   * @param eventAccountId - the event's `accountId`
   * @param configRuleArn - the event's `configRuleArn`
   * @param ruleAccountId - the account that ARN names
   */
  public constructor(
    public readonly eventAccountId: string,
    public readonly configRuleArn: string,
    public readonly ruleAccountId: string,
  ) {
    super(
      `The event's accountId ${eventAccountId} is not the account ${ruleAccountId} of its configRuleArn ${configRuleArn}; nothing was evaluated for either account.`,
    );
  }
}

/**
 * The function acts only in its own account (no `EXECUTION_ROLE_NAME` is configured), and the event is
 * about another account.
 */
export class ForeignAccountEventError extends RuleError {
  public override readonly name = 'ForeignAccountEventError';

  /**
   * @param eventAccountId - the account the event is about
   * @param functionAccountId - the function's own account, from its invoked ARN
   */
  public constructor(
    public readonly eventAccountId: string,
    public readonly functionAccountId: string,
  ) {
    super(
      `This function evaluates only its own account ${functionAccountId} (its EXECUTION_ROLE_NAME is not set), but the event is for account ${eventAccountId}; nothing was evaluated. ` +
        'Point rules of other accounts at the organization stack’s function.',
    );
  }
}

/**
 * The rule parameter `executionRoleName` names a role other than the one the function is configured
 * to assume, or names one when the function is configured to assume none. The function's configuration
 * decides; a rule cannot choose the role.
 */
export class ExecutionRoleNameMismatchError extends RuleError {
  public override readonly name = 'ExecutionRoleNameMismatchError';

  /**
   * @param requested - the rule parameter's role name
   * @param configured - the function's `EXECUTION_ROLE_NAME`, or undefined when it is not set
   */
  public constructor(
    public readonly requested: string,
    public readonly configured: string | undefined,
  ) {
    super(
      configured === undefined
        ? `The rule parameter executionRoleName "${requested}" asks for a role, but this function assumes none (its EXECUTION_ROLE_NAME is not set); nothing was evaluated. ` +
            'Leave the parameter out, or point the rule at the organization stack’s function.'
        : `The rule parameter executionRoleName "${requested}" is not the role this function is configured to assume, "${configured}" (EXECUTION_ROLE_NAME); nothing was evaluated. ` +
            'Leave the parameter out or make it match.',
    );
  }
}

/**
 * The function's own configuration cannot be read: `EXECUTION_ROLE_NAME` is not a role name, or the
 * Lambda context carries no `invokedFunctionArn` to take the function's own account from.
 */
export class FunctionConfigurationError extends RuleError {
  public override readonly name = 'FunctionConfigurationError';
}

/**
 * An evaluation of the rule is already running (Config answered `LimitExceededException`), so the
 * change that triggered this invocation is not yet covered. Retryable: thrown so that Lambda's
 * asynchronous retries start the evaluation later; it is an expected outcome, not a product failure.
 */
export class ReEvaluationPendingError extends RuleError {
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
export class TriggerConfigurationError extends RuleError {
  public override readonly name = 'TriggerConfigurationError';
}

/** A paginated API answered with a page token it had given before: following it would never end. */
export class RepeatedPageTokenError extends RuleError {
  public override readonly name = 'RepeatedPageTokenError';

  /**
   * @param operation - the API operation, e.g. `DescribeClientVpnEndpoints`
   * @param page - the 1-based number of the page that carried the repeated token
   */
  public constructor(
    public readonly operation: string,
    public readonly page: number,
  ) {
    super(
      `${operation} answered page ${page} with a page token it had already given; the listing was stopped, as following it would never end. Nothing was judged from an incomplete list.`,
    );
  }
}

/** A paginated API kept giving new page tokens beyond the most pages a listing may take. */
export class PageLimitExceededError extends RuleError {
  public override readonly name = 'PageLimitExceededError';

  /**
   * @param operation - the API operation
   * @param maxPages - the bound that was reached
   */
  public constructor(
    public readonly operation: string,
    public readonly maxPages: number,
  ) {
    super(
      `${operation} still had more pages after ${maxPages}; the listing was stopped. Nothing was judged from an incomplete list.`,
    );
  }
}
