/**
 * Static checks of an Automation runbook: the things SSM would only reveal at run time, or never.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  API_CALLING_ACTIONS,
  RUNBOOK_PATH,
  RUNBOOK_SCRIPTS,
  SCRIPT_ACTION,
  scriptApiCalls,
  type AutomationDocument,
  type AutomationStep,
} from '../../remediation/runbook';
import { inputShapeProblems, serviceModel } from './botocore-service-model';
import { parseDocumentedJsonPath } from '../../sandbox/documented-json-path';
import { sdkCommandFor } from '../../sandbox/sdk-package';

/** The name of one check, as the validator reports it. */
export type RunbookCheck =
  | 'schema version'
  | 'description sections'
  | 'assume role'
  | 'parameter patterns'
  | 'step names'
  | 'step targets'
  | 'branch defaults'
  | 'references'
  | 'reachability'
  | 'SDK commands'
  | 'allowed actions'
  | 'documented JSONPath'
  | 'API input members'
  | 'scripts';

/** Every check the validator runs. */
export const RUNBOOK_CHECKS: readonly RunbookCheck[] = [
  'schema version',
  'description sections',
  'assume role',
  'parameter patterns',
  'step names',
  'step targets',
  'branch defaults',
  'references',
  'reachability',
  'SDK commands',
  'allowed actions',
  'documented JSONPath',
  'API input members',
  'scripts',
];

/**
 * The only actions our runbooks may use: the declarative API actions (which get Automation's throttling
 * retries), branches, and read-only Python scripts. Everything else is refused until reviewed.
 */
export const ALLOWED_ACTIONS: ReadonlySet<string> = new Set([
  'aws:executeAwsApi',
  'aws:assertAwsResourceProperty',
  'aws:waitForAwsResourceProperty',
  'aws:branch',
  SCRIPT_ACTION,
]);

/** The only `aws:executeScript` runtime allowed: the Python that Automation supports for new runbooks. */
export const ALLOWED_SCRIPT_RUNTIME = 'python3.11';

// Inputs of API-calling actions that are not API parameters.
const ACTION_INPUTS: Readonly<Record<string, readonly string[]>> = {
  'aws:executeAwsApi': ['Service', 'Api'],
  'aws:assertAwsResourceProperty': ['Service', 'Api', 'PropertySelector', 'DesiredValues'],
  'aws:waitForAwsResourceProperty': ['Service', 'Api', 'PropertySelector', 'DesiredValues'],
};

/** One problem found in a runbook. */
export interface RunbookProblem {
  /** The check that found it. */
  readonly check: RunbookCheck;
  /** What is wrong, naming the step or parameter. */
  readonly message: string;
}

/** The description headings AWS's own `AWSConfigRemediation-*` runbooks use. */
export const REQUIRED_DESCRIPTION_SECTIONS: readonly string[] = [
  'What does this document do?',
  'Input Parameters',
  'Output Parameters',
];

/** System and automation variables Automation substitutes itself. */
const BUILT_IN_REFERENCES: ReadonlySet<string> = new Set([
  'global:ACCOUNT_ID',
  'global:DATE',
  'global:DATE_TIME',
  'global:AWS_PARTITION',
  'global:REGION',
  'automation:EXECUTION_ID',
]);

const REFERENCE = /\{\{\s*([^{}]+?)\s*\}\}/g;

function referencesIn(value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string') {
    for (const match of value.matchAll(REFERENCE)) found.push(match[1]);
  } else if (Array.isArray(value)) {
    for (const item of value) referencesIn(item, found);
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) referencesIn(item, found);
  }
  return found;
}

interface StepEdges {
  readonly success: readonly string[];
  readonly failure: readonly string[];
}

function edgesOf(steps: readonly AutomationStep[], index: number): StepEdges {
  const step = steps[index];
  const following = index + 1 < steps.length ? [steps[index + 1].name] : [];
  let success: string[];
  if (step.action === 'aws:branch') {
    const choices = Array.isArray(step.inputs.Choices)
      ? (step.inputs.Choices as Record<string, unknown>[])
      : [];
    const targets = choices
      .map((choice) => choice.NextStep)
      .filter((t): t is string => typeof t === 'string');
    const fallback = typeof step.inputs.Default === 'string' ? [step.inputs.Default] : following;
    success = [...targets, ...fallback];
  } else if (step.isEnd === true) {
    success = [];
  } else {
    success = step.nextStep !== undefined ? [step.nextStep] : following;
  }
  const onFailure = step.onFailure ?? 'Abort';
  let failure: string[] = [];
  if (onFailure.startsWith('step:')) failure = [onFailure.slice('step:'.length)];
  else if (onFailure === 'Continue') failure = step.nextStep !== undefined ? [step.nextStep] : following;
  return { success, failure };
}

/** The steps reachable from the first, following `blocked`'s failure edges only (it "did not succeed"). */
function reachable(document: AutomationDocument, blocked?: string): Set<string> {
  const steps = document.mainSteps;
  const indexByName = new Map(steps.map((step, index) => [step.name, index]));
  const seen = new Set<string>();
  const queue = [steps[0].name];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    const index = indexByName.get(name);
    if (index === undefined) continue;
    const edges = edgesOf(steps, index);
    queue.push(...edges.failure);
    if (name !== blocked) queue.push(...edges.success);
  }
  return seen;
}

function checkDescription(document: AutomationDocument, problems: RunbookProblem[]): void {
  for (const section of REQUIRED_DESCRIPTION_SECTIONS) {
    const heading = new RegExp(`^#+\\s*${section.replace(/[?]/g, '\\?')}\\s*$`, 'm');
    if (!heading.test(document.description)) {
      problems.push({ check: 'description sections', message: `description has no "${section}" heading` });
    }
  }
}

function checkParameters(document: AutomationDocument, problems: RunbookProblem[]): void {
  for (const [name, parameter] of Object.entries(document.parameters)) {
    if (parameter.type === 'String') {
      if (parameter.allowedPattern === undefined) {
        problems.push({
          check: 'parameter patterns',
          message: `String parameter ${name} has no allowedPattern`,
        });
      } else if (
        typeof parameter.default === 'string' &&
        !new RegExp(parameter.allowedPattern).test(parameter.default)
      ) {
        problems.push({
          check: 'parameter patterns',
          message: `parameter ${name}'s default fails its allowedPattern`,
        });
      }
    }
    if (
      parameter.default !== undefined &&
      parameter.allowedValues !== undefined &&
      !parameter.allowedValues.some((value) => String(value) === String(parameter.default))
    ) {
      problems.push({
        check: 'parameter patterns',
        message: `parameter ${name}'s default is not in its allowedValues`,
      });
    }
  }
}

function checkTargets(document: AutomationDocument, problems: RunbookProblem[]): void {
  const names = new Set(document.mainSteps.map((step) => step.name));
  document.mainSteps.forEach((step, index) => {
    const { success, failure } = edgesOf(document.mainSteps, index);
    for (const target of [...success, ...failure]) {
      if (!names.has(target)) {
        problems.push({
          check: 'step targets',
          message: `step ${step.name} goes to ${target}, which does not exist`,
        });
      }
    }
    if (step.action === 'aws:branch' && typeof step.inputs.Default !== 'string') {
      problems.push({
        check: 'branch defaults',
        message: `branch ${step.name} has no Default, so where it goes when no choice holds is left implicit`,
      });
    }
  });
}

function checkReferences(document: AutomationDocument, problems: RunbookProblem[]): void {
  const outputsByStep = new Map(
    document.mainSteps.map((step) => [step.name, new Set((step.outputs ?? []).map((output) => output.Name))]),
  );
  const variables = new Set(Object.keys(document.variables ?? {}));
  const resolvesStatically = (reference: string, where: string): boolean => {
    if (BUILT_IN_REFERENCES.has(reference)) return true;
    if (reference.startsWith('variable:')) {
      if (variables.has(reference.slice('variable:'.length))) return true;
      problems.push({ check: 'references', message: `${where} refers to undeclared {{ ${reference} }}` });
      return true;
    }
    if (reference.includes('.')) return false;
    if (!(reference in document.parameters)) {
      problems.push({
        check: 'references',
        message: `${where} refers to undeclared parameter {{ ${reference} }}`,
      });
    }
    return true;
  };
  if (document.assumeRole !== undefined) {
    for (const reference of referencesIn(document.assumeRole)) resolvesStatically(reference, 'assumeRole');
  }
  for (const step of document.mainSteps) {
    const used = [...referencesIn(step.inputs), ...referencesIn(step.outputs ?? [])];
    for (const reference of used) {
      if (resolvesStatically(reference, `step ${step.name}`)) continue;
      const [producer, output] = reference.split('.');
      if (!outputsByStep.get(producer)?.has(output)) {
        problems.push({
          check: 'references',
          message: `step ${step.name} refers to {{ ${reference} }}, no such output`,
        });
      } else if (producer === step.name || reachable(document, producer).has(step.name)) {
        problems.push({
          check: 'references',
          message: `step ${step.name} can run without ${producer} having succeeded, so {{ ${reference} }} may be unset`,
        });
      }
    }
  }
  for (const reference of document.outputs ?? []) {
    const [producer, output] = reference.split('.');
    if (!outputsByStep.get(producer)?.has(output)) {
      problems.push({ check: 'references', message: `document output ${reference} is no step's output` });
    }
  }
}

function checkSdkCommands(document: AutomationDocument, problems: RunbookProblem[]): void {
  for (const step of document.mainSteps) {
    if (!API_CALLING_ACTIONS.has(step.action)) continue;
    const found = sdkCommandFor(String(step.inputs.Service), String(step.inputs.Api));
    if ('missing' in found)
      problems.push({ check: 'SDK commands', message: `step ${step.name}: ${found.missing}` });
  }
}

function checkActions(document: AutomationDocument, problems: RunbookProblem[]): void {
  for (const step of document.mainSteps) {
    if (!ALLOWED_ACTIONS.has(step.action)) {
      problems.push({
        check: 'allowed actions',
        message: `step ${step.name} uses ${step.action}, which is not one of the allowed actions (${[...ALLOWED_ACTIONS].join(', ')})`,
      });
    }
  }
}

function checkSelectors(document: AutomationDocument, problems: RunbookProblem[]): void {
  for (const step of document.mainSteps) {
    const selectors = [
      ...(step.outputs ?? []).map((output) => output.Selector),
      ...(step.inputs.PropertySelector === undefined ? [] : [String(step.inputs.PropertySelector)]),
    ];
    for (const selector of selectors) {
      try {
        parseDocumentedJsonPath(selector);
      } catch (error) {
        problems.push({
          check: 'documented JSONPath',
          message: `step ${step.name}: ${(error as Error).message}`,
        });
      }
    }
  }
}

function checkInputMembers(document: AutomationDocument, problems: RunbookProblem[]): void {
  for (const step of document.mainSteps) {
    const own = ACTION_INPUTS[step.action];
    if (own === undefined) continue;
    const request = Object.fromEntries(Object.entries(step.inputs).filter(([key]) => !own.includes(key)));
    for (const problem of inputShapeProblems(String(step.inputs.Service), String(step.inputs.Api), request)) {
      problems.push({ check: 'API input members', message: `step ${step.name}: ${problem}` });
    }
  }
}

/**
 * The YAML carries each declared script verbatim: its `Script` is the Python file's text (a block scalar
 * with `|-` drops only the final newline).
 */
function checkScriptFile(step: AutomationStep, script: string, report: (message: string) => void): void {
  const declared = RUNBOOK_SCRIPTS.find((candidate) => candidate.step === step.name);
  if (declared === undefined) return;
  const file = join(dirname(RUNBOOK_PATH), declared.file);
  if (script !== readFileSync(file, 'utf8').replace(/\n$/, '')) {
    report(
      `the Script differs from remediation/${declared.file}: copy the file into the step's Script block verbatim`,
    );
  }
}

function checkScripts(document: AutomationDocument, problems: RunbookProblem[]): void {
  for (const step of document.mainSteps) {
    if (step.action !== SCRIPT_ACTION) continue;
    const report = (message: string) =>
      problems.push({ check: 'scripts', message: `step ${step.name}: ${message}` });
    const { Runtime, Handler, Script, Attachment } = step.inputs;
    if (Runtime !== ALLOWED_SCRIPT_RUNTIME)
      report(`Runtime ${String(Runtime)} is not ${ALLOWED_SCRIPT_RUNTIME}`);
    if (Attachment !== undefined || typeof Script !== 'string') {
      report('the script must be inline, so its calls can be read');
      continue;
    }
    if (
      typeof Handler !== 'string' ||
      !new RegExp(`^def ${Handler}\\(events, context\\):`, 'm').test(Script)
    ) {
      report(`the script defines no handler ${String(Handler)}(events, context)`);
    }
    for (const output of step.outputs ?? []) {
      if (!/^\$\.Payload\./.test(output.Selector))
        report(`output ${output.Name} does not select from $.Payload`);
    }
    checkScriptFile(step, Script, report);
    try {
      for (const call of scriptApiCalls(step)) {
        const model = serviceModel(call.service);
        if (model === undefined) report(`boto3.client("${call.service}") names no service botocore knows`);
        else if (model.operations[call.api] === undefined) {
          report(`${call.service}.${call.api} is no operation of the ${call.service} service model`);
        }
      }
    } catch (error) {
      report((error as Error).message);
    }
  }
}

/**
 * Checks a runbook for everything that would only fail at run time: missing description sections, String
 * parameters without a pattern, dangling step names, unreachable steps, references that may be unset on
 * some path, API calls the AWS SDK v3 does not know, actions not allowed, selectors outside the JSONPath
 * Automation documents, API inputs that are no member of the operation's input shape in botocore's service
 * model, and scripts whose runtime, handler or boto3 calls are wrong.
 *
 * @param document - the runbook
 * @returns every problem found; empty when the runbook passes
 */
export function validateRunbook(document: AutomationDocument): RunbookProblem[] {
  const problems: RunbookProblem[] = [];
  if (document.schemaVersion !== '0.3') {
    problems.push({
      check: 'schema version',
      message: `schemaVersion is ${document.schemaVersion}, not 0.3`,
    });
  }
  checkDescription(document, problems);
  if (
    document.assumeRole !== '{{ AutomationAssumeRole }}' ||
    !('AutomationAssumeRole' in document.parameters)
  ) {
    problems.push({
      check: 'assume role',
      message: 'assumeRole must be {{ AutomationAssumeRole }}, a parameter',
    });
  }
  checkParameters(document, problems);
  const seen = new Set<string>();
  for (const step of document.mainSteps) {
    if (seen.has(step.name))
      problems.push({ check: 'step names', message: `step name ${step.name} is repeated` });
    seen.add(step.name);
  }
  checkTargets(document, problems);
  checkReferences(document, problems);
  const visited = reachable(document);
  for (const step of document.mainSteps) {
    if (!visited.has(step.name))
      problems.push({ check: 'reachability', message: `step ${step.name} is unreachable` });
  }
  checkSdkCommands(document, problems);
  checkActions(document, problems);
  checkSelectors(document, problems);
  checkInputMembers(document, problems);
  checkScripts(document, problems);
  return problems;
}
