import { InvalidConformancePackError } from './stacks/conformance-pack';
import { InvalidContextError, UnknownContextKeyError } from './stacks/deployment-settings-context';
import { TemplateBodyTooLargeError } from './stacks/member-account-template';
import { GuardHookUnavailableError } from './stacks/guard-hook-stack';

/** Errors a person can fix from their message alone: a setting, an argument, a size limit. */
const SETTINGS_ERRORS = [
  InvalidContextError,
  UnknownContextKeyError,
  TemplateBodyTooLargeError,
  InvalidConformancePackError,
  GuardHookUnavailableError,
];

/**
 * Runs a synthesis entry point (`npm run synth`, the CDK CLI's app) so that a settings mistake prints
 * one line naming it, `<ErrorName>: <message>`, and exits with status 1, instead of a stack trace that
 * buries the message. Any other error is a fault of the app and keeps its stack trace.
 *
 * @param main - the synthesis to run
 */
export function reportSynthesisErrors(main: () => void): void {
  try {
    main();
  } catch (error) {
    if (!SETTINGS_ERRORS.some((settingsError) => error instanceof settingsError)) throw error;
    process.exitCode = 1;
    console.error(`${(error as Error).name}: ${(error as Error).message}`);
  }
}
