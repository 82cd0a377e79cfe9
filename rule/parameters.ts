/**
 * The one parser of rule parameters, driven by their declarations (`rule-parameter-declarations.ts`):
 * the Lambda reads Config's `ruleParameters` JSON string with it, and the CDK context reader, the audit
 * and the template checks pass it a record, so every entry point validates a value the same way.
 */
import { ROLE_PATH_AND_NAME_PATTERN } from './aws-name-patterns';
import { InvalidRuleParameterError } from './errors';
import {
  DEFAULT_RULE_PARAMETERS,
  isRuleParameterName,
  LOG_GROUP_LOOK_UP_PARAMETER_NAMES,
  LOG_GROUP_NAME_PREFIX_PATTERN,
  RULE_PARAMETER_NAMES,
  ruleParameterDeclaration,
  type RuleParameterDeclaration,
  type RuleParameterName,
  type RuleParameters,
} from './rule-parameter-declarations';

export {
  DEFAULT_RULE_PARAMETERS,
  RULE_PARAMETER_NAMES,
  type RuleParameterName,
} from './rule-parameter-declarations';

/**
 * A value as a caller holds it: Config's strings, or the typed values of the CDK context, the audit's
 * options and a construct's props. `undefined` and `''` mean unset.
 */
export type RuleParameterValue = string | number | boolean | undefined;

function parseBoolean(name: RuleParameterName, value: string): boolean {
  const normalised = value.trim().toLowerCase();
  if (normalised === 'true') return true;
  if (normalised === 'false') return false;
  throw new InvalidRuleParameterError(name, `expected "true" or "false", got ${JSON.stringify(value)}`);
}

function parseWholeNumber(
  name: RuleParameterName,
  value: string,
  declared: { readonly min: number; readonly max: number; readonly unit: string },
): number {
  const trimmed = value.trim();
  const parsed = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(parsed) || parsed < declared.min) {
    throw new InvalidRuleParameterError(
      name,
      `expected a positive whole number of ${declared.unit}, got ${JSON.stringify(value)}`,
    );
  }
  if (parsed > declared.max) {
    throw new InvalidRuleParameterError(
      name,
      `expected at most ${declared.max} ${declared.unit}, got ${JSON.stringify(value)}`,
    );
  }
  return parsed;
}

function parseRoleName(name: RuleParameterName, value: string): string {
  // A leading `/` is how IAM writes paths (`/config/`); the ARN needs the role name without it.
  const trimmed = value.trim().replace(/^\//, '');
  if (!ROLE_PATH_AND_NAME_PATTERN.test(trimmed) || trimmed.length > 512 + 64) {
    throw new InvalidRuleParameterError(
      name,
      `expected an IAM role name (1-64 of A-Z a-z 0-9 +=,.@_-), optionally with a path such as "config/RoleName", got ${JSON.stringify(value)}`,
    );
  }
  return trimmed;
}

function parsePrefix(name: RuleParameterName, value: string): string {
  if (!LOG_GROUP_NAME_PREFIX_PATTERN.test(value)) {
    throw new InvalidRuleParameterError(
      name,
      `expected a log group name prefix (1-512 of A-Z a-z 0-9 . - _ / #), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function parseValue(name: RuleParameterName, declared: RuleParameterDeclaration, value: string) {
  switch (declared.kind) {
    case 'boolean':
      return parseBoolean(name, value);
    case 'wholeNumber':
      return parseWholeNumber(name, value, declared);
    case 'logGroupNamePrefix':
      return parsePrefix(name, value);
    case 'roleName':
      return parseRoleName(name, value);
  }
}

function parseJsonObject(raw: string): Readonly<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new InvalidRuleParameterError(
      'ruleParameters',
      `not valid JSON: ${JSON.stringify(raw.slice(0, 100))}`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidRuleParameterError('ruleParameters', 'expected a JSON object of string values');
  }
  return parsed as Record<string, unknown>;
}

/**
 * Parses and validates rule parameters, so a misconfigured rule fails loudly, naming the parameter,
 * before anything is evaluated.
 *
 * Config's `ruleParameters` is a JSON object whose values are strings, and only strings are accepted
 * there. A record may also hold typed values (`true`, `365`), as the CDK context and the CLI have them.
 * An empty string value counts as unset (the Config console keeps keys whose value was cleared).
 *
 * @param raw - the event's `ruleParameters` JSON text, or a record of parameter values
 * @returns the parameters with defaults applied
 * @throws InvalidRuleParameterError when a name is unknown or a value does not parse
 */
export function parseRuleParameters(
  raw: string | Readonly<Record<string, RuleParameterValue>> | undefined,
): RuleParameters {
  if (raw === undefined) return DEFAULT_RULE_PARAMETERS;
  const fromConfig = typeof raw === 'string';
  if (fromConfig && raw.trim() === '') return DEFAULT_RULE_PARAMETERS;
  const entries = Object.entries(fromConfig ? parseJsonObject(raw) : raw);
  const result: Record<string, unknown> = { ...DEFAULT_RULE_PARAMETERS };
  const given = new Set<RuleParameterName>();
  for (const [name, value] of entries) {
    if (!isRuleParameterName(name)) {
      throw new InvalidRuleParameterError(
        name,
        `unknown parameter; the rule knows ${RULE_PARAMETER_NAMES.join(', ')}`,
      );
    }
    if (value === undefined) continue;
    const typed = !fromConfig && (typeof value === 'boolean' || typeof value === 'number');
    if (typeof value !== 'string' && !typed) {
      throw new InvalidRuleParameterError(name, `expected a string value, got ${JSON.stringify(value)}`);
    }
    const text = String(value);
    if (text.trim() === '') continue;
    given.add(name);
    result[name] = parseValue(name, ruleParameterDeclaration(name), text);
  }
  return requireLogGroupLookUp(result as RuleParameters, given);
}

function requireLogGroupLookUp(
  parameters: RuleParameters,
  given: ReadonlySet<RuleParameterName>,
): RuleParameters {
  if (parameters.verifyLogGroup) return parameters;
  // A default of true for a group fact (the key state) simply has nothing to read without the look-up.
  const result: Record<string, unknown> = { ...parameters };
  for (const name of LOG_GROUP_LOOK_UP_PARAMETER_NAMES) {
    if (!given.has(name) && result[name] === true) result[name] = false;
  }
  // Retention, encryption, the key and delivery are facts of the log group; with no look-up they
  // could never be judged.
  for (const name of LOG_GROUP_LOOK_UP_PARAMETER_NAMES) {
    const value = result[name];
    if (value !== undefined && value !== false) {
      throw new InvalidRuleParameterError(name, 'needs verifyLogGroup "true" to look the log group up');
    }
  }
  return result as RuleParameters;
}

/**
 * The rule's `InputParameters` for a set of parameters: every value a string, as AWS Config delivers
 * `ruleParameters`; parameters left unset are left out, so the rule applies its own default.
 *
 * @param values - parameter values, typed or as strings; `undefined` leaves one out
 * @param isUnresolved - says which string values are placeholders resolved only at deployment (CDK
 *   tokens), which cannot be checked now; every other value is checked
 * @returns the strings Config passes back to the rule
 * @throws InvalidRuleParameterError when a value would not parse, so nothing is deployed that the rule refuses
 */
export function ruleParameterStrings(
  values: Readonly<Partial<Record<RuleParameterName, RuleParameterValue>>>,
  isUnresolved: (value: string) => boolean = () => false,
): Record<string, string> {
  const strings: Record<string, string> = {};
  const checkable: Partial<Record<RuleParameterName, RuleParameterValue>> = {};
  for (const name of RULE_PARAMETER_NAMES) {
    const value = values[name];
    if (value === undefined || String(value) === '') continue;
    strings[name] = String(value);
    if (!(typeof value === 'string' && isUnresolved(value))) checkable[name] = value;
  }
  parseRuleParameters(checkable);
  return strings;
}
