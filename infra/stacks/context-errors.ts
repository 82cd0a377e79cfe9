/**
 * The errors of reading the app's CDK context, rooted in one class so a caller (the synthesis reporter,
 * a test) can tell a bad deployment setting from any other failure.
 */

import { StackConfigurationError } from './stack-configuration-error';

/** A CDK context value or key the app refuses; the message names the key. */
export class DeploymentContextError extends StackConfigurationError {
  public override name = 'DeploymentContextError';
}

/** A CDK context value that does not parse; the message names the context key. */
export class InvalidContextError extends DeploymentContextError {
  /** The offending context key. */
  public readonly key: string;

  constructor(key: string, problem: string) {
    super(`Invalid CDK context value for "${key}": ${problem}`);
    this.name = 'InvalidContextError';
    this.key = key;
  }
}

/**
 * A context key that is none of the app's options, most likely a mistyped one; the message names the
 * closest known key.
 */
export class UnknownContextKeyError extends DeploymentContextError {
  /** The unknown key, as given. */
  public readonly key: string;
  /** The known key closest to it. */
  public readonly closestKey: string;

  constructor(key: string, closestKey: string) {
    super(
      `Unknown CDK context key "${key}": did you mean "${closestKey}"? ("Context options" in docs/deployment.md lists every option.)`,
    );
    this.name = 'UnknownContextKeyError';
    this.key = key;
    this.closestKey = closestKey;
  }
}
