/**
 * The remediation runbook as data: where it lives, how to load it, and which IAM actions it needs.
 *
 * The YAML file is the single source of truth; the infrastructure embeds it as-is and the tests run it. Its
 * script step carries `read_logging_state.py` verbatim (pytest tests the Python on its own), and the AWS
 * calls of that script are declared in {@link RUNBOOK_SCRIPTS}. Nothing here imports the AWS SDK.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { RemediationError } from './remediation-error';

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
export class RunbookFormatError extends RemediationError {
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

/** One AWS API a script calls, as `boto3.client("<service>").<snake_case_api>(...)`. */
export interface ScriptApiCall {
  /** The boto3 service name, which is also the IAM service prefix for the services used here. */
  readonly service: string;
  /** The API name in PascalCase, as the service model and IAM spell it. */
  readonly api: string;
}

/** One `aws:executeScript` step's script: kept as a Python file, carried verbatim by the YAML. */
export interface RunbookScript {
  /** The name of the step that runs it. */
  readonly step: string;
  /** The Python file in `remediation/`, whose text is the step's `Script`. */
  readonly file: string;
  /** The function the step's `Handler` names. */
  readonly handler: string;
  /** Every AWS API the script calls: the automation role's permissions for it are derived from this. */
  readonly apiCalls: readonly ScriptApiCall[];
}

/**
 * The runbook's scripts and the AWS APIs each calls, declared here rather than read from the Python, so
 * the role's permissions come from a reviewed list. test/remediation/runbook-scripts.test.ts fails when a
 * script calls an API not declared here (or no longer calls one that is), and when the YAML's `Script`
 * differs from the file.
 */
export const RUNBOOK_SCRIPTS: readonly RunbookScript[] = [
  {
    step: 'ReadLoggingState',
    file: 'read_logging_state.py',
    handler: 'read_logging_state',
    apiCalls: [
      { service: 'ec2', api: 'DescribeClientVpnEndpoints' },
      { service: 'logs', api: 'DescribeLogGroups' },
      // The state of the key the target group will use, so a fix that cannot succeed fails first.
      { service: 'kms', api: 'DescribeKey' },
    ],
  },
];

/** A script step whose AWS calls are not declared in {@link RUNBOOK_SCRIPTS}, so its permissions cannot be derived. */
export class UndeclaredScriptCallsError extends RemediationError {
  constructor(step: string) {
    super(
      `The script of step ${step} has no entry in RUNBOOK_SCRIPTS (remediation/runbook.ts): declare the AWS APIs it calls there, so the automation role gets exactly those.`,
    );
    this.name = 'UndeclaredScriptCallsError';
  }
}

/**
 * The AWS APIs an `aws:executeScript` step's script calls, as declared in {@link RUNBOOK_SCRIPTS}.
 *
 * @param step - an `aws:executeScript` step
 * @returns the declared calls
 * @throws UndeclaredScriptCallsError when the step's script is not declared
 */
export function scriptApiCalls(step: AutomationStep): readonly ScriptApiCall[] {
  const declared = RUNBOOK_SCRIPTS.find((script) => script.step === step.name);
  if (declared === undefined) throw new UndeclaredScriptCallsError(step.name);
  return declared.apiCalls;
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
 * the declared calls of its scripts ({@link RUNBOOK_SCRIPTS}).
 *
 * @param document - the runbook
 * @returns the distinct actions, sorted
 * @throws UndeclaredScriptCallsError when a script step is not declared
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
