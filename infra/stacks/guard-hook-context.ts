import type { Node } from 'constructs';
import { S3_BUCKET_NAME_PATTERN } from '../../rule/aws-name-patterns';
import { GUARD_HOOK_CONTEXT_DEFAULTS, InvalidContextError } from './deployment-settings-context';
import type { GuardHookFailureMode } from './guard-hook-stack';

/** Whether the app adds the Guard hook stack, and how the hook fails. */
export interface GuardHookSettings {
  /** Add the `ClientVpnConnectionLoggingGuardHook` stack. */
  readonly enabled: boolean;
  /** FAIL refuses non-compliant stack operations, WARN only reports them. */
  readonly failureMode: GuardHookFailureMode;
  /** An existing bucket for the hook's detailed results, when one is given. */
  readonly logBucketName?: string;
}

/**
 * Reads `-c guardHook=true`, `-c guardHookFailureMode=FAIL|WARN` and `-c guardHookLogBucket=<bucket>`, refusing anything else so a typo
 * fails synthesis instead of deploying a hook that only warns.
 *
 * @param node - the app's node, whose context is read
 * @returns the settings
 * @throws InvalidContextError naming the key of a bad value
 */
export function readGuardHookSettings(node: Node): GuardHookSettings {
  const rawEnabled: unknown = node.tryGetContext('guardHook');
  let enabled: boolean = GUARD_HOOK_CONTEXT_DEFAULTS.guardHook;
  if (typeof rawEnabled === 'boolean') enabled = rawEnabled;
  else if (typeof rawEnabled === 'string' && /^(true|false)$/i.test(rawEnabled.trim()))
    enabled = rawEnabled.trim().toLowerCase() === 'true';
  else if (rawEnabled !== undefined && rawEnabled !== null)
    throw new InvalidContextError('guardHook', `expected true or false, got ${JSON.stringify(rawEnabled)}`);

  const rawMode: unknown = node.tryGetContext('guardHookFailureMode');
  let failureMode: GuardHookFailureMode = GUARD_HOOK_CONTEXT_DEFAULTS.guardHookFailureMode;
  if (rawMode === 'FAIL' || rawMode === 'WARN') failureMode = rawMode;
  else if (rawMode !== undefined && rawMode !== null)
    throw new InvalidContextError(
      'guardHookFailureMode',
      `expected FAIL or WARN, got ${JSON.stringify(rawMode)}`,
    );
  const logBucketName: unknown = node.tryGetContext('guardHookLogBucket');
  if (logBucketName !== undefined && logBucketName !== null) {
    if (typeof logBucketName !== 'string' || !S3_BUCKET_NAME_PATTERN.test(logBucketName)) {
      throw new InvalidContextError(
        'guardHookLogBucket',
        `expected an S3 bucket name (3-63 of a-z 0-9 . -), got ${JSON.stringify(logBucketName)}`,
      );
    }
    return { enabled, failureMode, logBucketName };
  }
  return { enabled, failureMode };
}
