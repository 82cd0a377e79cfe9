/**
 * The remediation runbook as data: where it lives, how to load it, and which IAM actions it needs.
 *
 * The YAML file is the single source of truth; the infrastructure embeds it as-is and the tests run it.
 * Nothing here imports the AWS SDK.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The absolute path of `EnableClientVpnConnectionLogging.yaml`. */
export const RUNBOOK_PATH = join(__dirname, 'EnableClientVpnConnectionLogging.yaml');

/** The name the runbook is published under. */
export const RUNBOOK_NAME = 'EnableClientVpnConnectionLogging';

/**
 * The default of the runbook's `LogGroupNamePrefix`: the managed prefix, the only log groups the runbook
 * creates or changes. The infrastructure scopes the automation role's log-group writes to it.
 */
export const DEFAULT_LOG_GROUP_NAME_PREFIX = '/aws/clientvpn';

/** A runbook parameter or variable type (schema 0.3). */
export type AutomationValueType = 'String' | 'Integer' | 'Boolean' | 'StringList' | 'StringMap' | 'MapList';

/** One entry of the runbook's `parameters`. */
export interface AutomationParameter {
  /** The parameter's type. */
  readonly type: AutomationValueType;
  /** What the parameter is for. */
  readonly description?: string;
  /** The value used when the caller gives none; a parameter without one is required. */
  readonly default?: unknown;
  /** A regular expression a String value must match. */
  readonly allowedPattern?: string;
  /** The only values the parameter accepts. */
  readonly allowedValues?: readonly unknown[];
}

/** One entry of the runbook's `variables` (values steps may change with `aws:updateVariable`). */
export interface AutomationVariable {
  /** The variable's type. */
  readonly type: AutomationValueType;
  /** What the variable holds. */
  readonly description?: string;
  /** The variable's value before any step updates it. */
  readonly default: unknown;
}

/** One step output of an `aws:executeAwsApi` step. */
export interface AutomationStepOutput {
  /** The name later steps use in `{{ Step.Name }}`. */
  readonly Name: string;
  /** The JSONPath into the API response. */
  readonly Selector: string;
  /** The output's type. */
  readonly Type?: AutomationValueType;
}

/** One entry of `mainSteps`. */
export interface AutomationStep {
  /** The step's name, unique in the runbook. */
  readonly name: string;
  /** The automation action, such as `aws:executeAwsApi`. */
  readonly action: string;
  /** The action's inputs; may contain `{{ }}` references. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** What the step is for. */
  readonly description?: string;
  /** The step's outputs (`aws:executeAwsApi`). */
  readonly outputs?: readonly AutomationStepOutput[];
  /** The step run after this one succeeds; absent means the next step in `mainSteps`. */
  readonly nextStep?: string;
  /** Ends the execution after this step succeeds. */
  readonly isEnd?: boolean;
  /** `Abort` (default), `Continue` or `step:<name>`. */
  readonly onFailure?: string;
  /** Whether a failure of this step fails the execution. */
  readonly isCritical?: boolean;
  /** How long an `aws:waitForAwsResourceProperty` step waits. */
  readonly timeoutSeconds?: number;
}

/** An SSM Automation runbook, schema version 0.3. */
export interface AutomationDocument {
  /** Always `'0.3'` for Automation runbooks. */
  readonly schemaVersion: string;
  /** The Markdown description shown in the console. */
  readonly description: string;
  /** The role Automation assumes, normally `{{ AutomationAssumeRole }}`. */
  readonly assumeRole?: string;
  /** The runbook's parameters. */
  readonly parameters: Readonly<Record<string, AutomationParameter>>;
  /** The runbook's variables. */
  readonly variables?: Readonly<Record<string, AutomationVariable>>;
  /** `Step.Output` references reported as the execution's outputs. */
  readonly outputs?: readonly string[];
  /** The steps, run from the first. */
  readonly mainSteps: readonly AutomationStep[];
}

/** The runbook file could not be read as an Automation document. */
export class RunbookFormatError extends Error {
  constructor(path: string, problem: string) {
    super(`${path} is not an Automation runbook: ${problem}`);
    this.name = 'RunbookFormatError';
  }
}

/** The actions that call an AWS API named by their `Service` and `Api` inputs. */
export const API_CALLING_ACTIONS: ReadonlySet<string> = new Set([
  'aws:executeAwsApi',
  'aws:assertAwsResourceProperty',
  'aws:waitForAwsResourceProperty',
]);

/** The action whose Python script may call AWS through boto3. */
export const SCRIPT_ACTION = 'aws:executeScript';

/** One AWS API a script calls, as `boto3.client(service).<snake_case_api>(...)`. */
export interface ScriptApiCall {
  /** The boto3 service name, which is also the IAM service prefix for the services used here. */
  readonly service: string;
  /** The API name in PascalCase, as the service model and IAM spell it. */
  readonly api: string;
}

/** A script calls AWS in a way whose API cannot be read from its text, so its permissions cannot be derived. */
export class UnderivableScriptCallError extends Error {
  constructor(step: string, problem: string) {
    super(
      `The script of step ${step} calls AWS in a way the IAM derivation cannot read: ${problem}. Call APIs only as <client>.<api>(...) on clients made with <client> = boto3.client("<service>").`,
    );
    this.name = 'UnderivableScriptCallError';
  }
}

function pascalCase(snake: string): string {
  return snake
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/**
 * The AWS APIs an `aws:executeScript` step's Python calls, read from its text: every
 * `<client>.<api>(` on a `<client> = boto3.client("<service>")`. Anything else that reaches boto3 (a
 * resource, a session, a client passed around or called indirectly) is refused, so no call escapes the
 * derivation of the role's permissions.
 *
 * @param step - an `aws:executeScript` step
 * @returns the distinct calls, in order of first appearance
 * @throws UnderivableScriptCallError when the script uses boto3 in another way
 */
export function scriptApiCalls(step: AutomationStep): ScriptApiCall[] {
  const script = step.inputs.Script;
  if (typeof script !== 'string') throw new UnderivableScriptCallError(step.name, 'no inline Script');
  const clients = new Map<string, string>();
  for (const match of script.matchAll(/^\s*(\w+)\s*=\s*boto3\.client\(\s*["']([a-z0-9-]+)["']\s*\)/gm)) {
    clients.set(match[1], match[2]);
  }
  const boto3Uses = script.match(/\bboto3\b/g)?.length ?? 0;
  // One `import boto3` plus one use per client.
  if (boto3Uses !== clients.size + 1 || !/^import boto3$/m.test(script)) {
    throw new UnderivableScriptCallError(
      step.name,
      'boto3 is used other than by `import boto3` and `x = boto3.client("service")`',
    );
  }
  // Names inside string literals and comments are not uses; an f-string may hide a call, so none may
  // name a client.
  const code = script
    .replace(/[rbfuRBFU]{0,2}("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')/g, '""')
    .replace(/#[^\n]*/g, '');
  const calls = new Map<string, ScriptApiCall>();
  for (const [variable, service] of clients) {
    if (new RegExp(`\\{[^}]*\\b${variable}\\.`).test(script)) {
      throw new UnderivableScriptCallError(step.name, `client ${variable} is called inside a string`);
    }
    for (const use of code.matchAll(
      new RegExp(`\\b${variable}\\b(\\s*=\\s*boto3\\.client\\b|\\.([a-z][a-z0-9_]*)\\s*\\()?`, 'g'),
    )) {
      if (use[1]?.includes('boto3') === true) continue;
      if (use[2] === undefined) {
        throw new UnderivableScriptCallError(
          step.name,
          `client ${variable} is used other than as ${variable}.<api>(...)`,
        );
      }
      const call = { service, api: pascalCase(use[2]) };
      calls.set(`${call.service}:${call.api}`, call);
    }
  }
  return [...calls.values()];
}

/**
 * Reads and parses a runbook, so the infrastructure and the tests share one reading of the file.
 *
 * @param path - the YAML file (defaults to `RUNBOOK_PATH`)
 * @returns the parsed document
 * @throws RunbookFormatError when the file lacks `schemaVersion`, `parameters` or `mainSteps`
 */
export function loadRunbook(path: string = RUNBOOK_PATH): AutomationDocument {
  const parsed: unknown = parse(readFileSync(path, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null) throw new RunbookFormatError(path, 'not a YAML mapping');
  const document = parsed as Partial<AutomationDocument>;
  if (typeof document.schemaVersion !== 'string')
    throw new RunbookFormatError(path, 'no schemaVersion string');
  if (typeof document.description !== 'string') throw new RunbookFormatError(path, 'no description string');
  if (typeof document.parameters !== 'object' || document.parameters === null) {
    throw new RunbookFormatError(path, 'no parameters mapping');
  }
  if (!Array.isArray(document.mainSteps) || document.mainSteps.length === 0) {
    throw new RunbookFormatError(path, 'no mainSteps');
  }
  return document as AutomationDocument;
}

/**
 * The IAM actions the runbook calls, derived as `service:Api` from every step that calls an API and from
 * every boto3 call in its scripts.
 *
 * @param document - the runbook
 * @returns the distinct actions, sorted
 * @throws UnderivableScriptCallError when a script calls AWS in a way that cannot be read
 */
export function calledIamActions(document: AutomationDocument): string[] {
  const actions = new Set<string>();
  for (const step of document.mainSteps) {
    if (API_CALLING_ACTIONS.has(step.action)) {
      actions.add(`${String(step.inputs.Service)}:${String(step.inputs.Api)}`);
    } else if (step.action === SCRIPT_ACTION) {
      for (const call of scriptApiCalls(step)) actions.add(`${call.service}:${call.api}`);
    }
  }
  return [...actions].sort();
}

/**
 * The IAM actions the runbook's description says its role needs: every `` `service:Action` `` listed
 * under the "Required IAM permissions" heading.
 *
 * @param document - the runbook
 * @returns the distinct actions, sorted; empty when the heading is missing
 */
export function requiredIamActions(document: AutomationDocument): string[] {
  const section = /^#+\s*Required IAM permissions\s*$([\s\S]*?)(?=^#+\s|$(?![\s\S]))/m.exec(
    document.description,
  );
  if (section === null) return [];
  const actions = new Set<string>();
  for (const line of section[1].split('\n')) {
    const match = /^\s*\*\s*`([a-z0-9-]+:[A-Za-z0-9]+)`/.exec(line);
    if (match !== null) actions.add(match[1]);
  }
  return [...actions].sort();
}
