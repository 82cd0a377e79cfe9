/**
 * Static checks of an Automation runbook: the things SSM would only reveal at run time, or never.
 */
import { API_CALLING_ACTIONS, type AutomationDocument, type AutomationStep } from '../../remediation/runbook';
import { sdkCommandFor } from './sdk-package';

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
  | 'SDK commands';

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
];

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

/**
 * Checks a runbook for everything that would only fail at run time: missing description sections, String
 * parameters without a pattern, dangling step names, unreachable steps, references that may be unset on
 * some path, and API calls the AWS SDK v3 does not know.
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
  return problems;
}
