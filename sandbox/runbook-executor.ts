/**
 * Runs an SSM Automation runbook offline, step by step, against SDK v3 clients (mocked in tests).
 *
 * It implements the subset of Automation that declarative remediation runbooks use and throws
 * `UnsupportedRunbookFeatureError` on anything else, so a runbook can never pass its tests by
 * relying on behaviour the executor merely skipped.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type {
  AutomationDocument,
  AutomationParameter,
  AutomationStep,
  AutomationValueType,
} from '../remediation/runbook';
import { parseDocumentedJsonPath, selectDocumentedJsonPath } from './documented-json-path';
import { sdkCommandFor } from './sdk-package';

/** The step actions the executor implements. */
export const SUPPORTED_ACTIONS: ReadonlySet<string> = new Set([
  'aws:executeAwsApi',
  'aws:assertAwsResourceProperty',
  'aws:waitForAwsResourceProperty',
  'aws:branch',
  'aws:updateVariable',
  'aws:executeScript',
]);

/** The `aws:executeScript` runtime the executor runs (the one Automation supports for new Python runbooks). */
export const SUPPORTED_SCRIPT_RUNTIME = 'python3.11';

const SCRIPT_HARNESS = join(__dirname, 'execute-script-harness.py');

/** The `aws:branch` comparison operators the executor implements (all that AWS documents). */
export const SUPPORTED_OPERATORS: ReadonlySet<string> = new Set([
  'StringEquals',
  'EqualsIgnoreCase',
  'StartsWith',
  'EndsWith',
  'Contains',
  'NumericEquals',
  'NumericGreater',
  'NumericLesser',
  'NumericGreaterOrEquals',
  'NumericLesserOrEquals',
  'BooleanEquals',
]);

const SUPPORTED_STEP_KEYS: ReadonlySet<string> = new Set([
  'name',
  'action',
  'description',
  'inputs',
  'outputs',
  'nextStep',
  'isEnd',
  'onFailure',
  'isCritical',
  'timeoutSeconds',
]);

const REFERENCE = /\{\{\s*([^{}]+?)\s*\}\}/g;
const WHOLE_REFERENCE = /^\{\{\s*([^{}]+?)\s*\}\}$/;
// Guards against a runbook whose steps loop forever.
const MAX_STEPS_RUN = 500;

/**
 * What an output whose `Selector` matches nothing does. AWS does not document it, so the scenario
 * tests run under both and a runbook must behave the same either way.
 */
export type SelectorMissBehaviour = 'output-absent' | 'step-fails';

/** Anything that sends an SDK v3 command: an SDK client, real or mocked. */
export interface CommandSender {
  /** Sends one command. */
  send(command: never): Promise<unknown>;
}

/** How the executor reaches AWS and behaves where AWS's documentation is silent. */
export interface RunbookExecutorOptions {
  /** The client for each SSM service namespace the runbook calls (`ec2`, `logs`). */
  readonly clients: Readonly<Record<string, CommandSender>>;
  /**
   * What an output selector that matches nothing does.
   * @default 'output-absent'
   */
  readonly selectorMiss?: SelectorMissBehaviour;
  /**
   * How many times an `aws:waitForAwsResourceProperty` step reads the property before it fails.
   * @default 20
   */
  readonly waitPollLimit?: number;
  /**
   * Milliseconds between two reads of a wait step.
   * @default 1
   */
  readonly waitPollIntervalMs?: number;
  /**
   * The values of Automation's system variables (`global:ACCOUNT_ID`, `global:REGION`, `global:AWS_PARTITION`).
   * @default account 123456789012, us-east-1, partition aws
   */
  readonly globals?: Readonly<Record<string, string>>;
  /**
   * The Python interpreter `aws:executeScript` steps run with.
   * @default 'python3'
   */
  readonly python?: string;
}

/** One AWS call an `aws:executeScript` step's script made. */
export interface ScriptCall {
  /** The step that ran the script. */
  readonly step: string;
  /** The boto3 service name (`ec2`, `logs`). */
  readonly service: string;
  /** The API name, as the service model spells it. */
  readonly api: string;
}

/** What happened to one step. */
export interface StepRecord {
  /** The step's name. */
  readonly name: string;
  /** The step's action. */
  readonly action: string;
  /** Whether the step succeeded. */
  readonly status: 'Success' | 'Failed';
  /** Why the step failed. */
  readonly failureMessage?: string;
}

/** The outcome of one execution. */
export interface ExecutionResult {
  /** `Failed` when a critical step failed. */
  readonly status: 'Success' | 'Failed';
  /** The first critical step's failure, naming the step. */
  readonly failureMessage?: string;
  /** The steps run, in order. */
  readonly steps: readonly StepRecord[];
  /** Every step output produced, keyed `Step.Output`. */
  readonly stepOutputs: Readonly<Record<string, unknown>>;
  /** The runbook's declared outputs that were produced. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** The runbook variables' final values. */
  readonly variables: Readonly<Record<string, unknown>>;
  /** `Step.Output` for every output selector that matched nothing. */
  readonly selectorMisses: readonly string[];
  /** Every AWS call made by a script, in order. */
  readonly scriptCalls: readonly ScriptCall[];
}

/** Parameters that Automation would refuse at StartAutomationExecution; no step has run. */
export class InvalidAutomationParametersError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAutomationParametersError';
  }
}

/** The runbook uses an action, operator, attribute or reference the executor does not implement. */
export class UnsupportedRunbookFeatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedRunbookFeatureError';
  }
}

/** The runbook refers to a parameter, variable or step that it does not declare. */
export class RunbookReferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunbookReferenceError';
  }
}

// A step failed as it would in Automation; the execution decides what happens next.
class StepFailedError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'StepFailedError';
  }
}

/** Whether an error is an AWS service's answer (the SDK gives those `$metadata`), not a failure of the test's world. */
function isServiceError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && '$metadata' in error;
}

type Values = Record<string, unknown>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Python's `str()` of a JSON scalar, which is how Automation compares properties with `DesiredValues`. */
function asPropertyString(value: unknown, where: string): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number' || typeof value === 'string') return String(value);
  throw new StepFailedError(
    `${where}: property value ${JSON.stringify(value)} is not a string, number or boolean`,
  );
}

function parameterValue(name: string, declared: AutomationParameter, given: unknown): unknown {
  const fail = (problem: string): never => {
    throw new InvalidAutomationParametersError(`Parameter "${name}" ${problem}`);
  };
  switch (declared.type) {
    case 'String':
      if (typeof given !== 'string') fail(`must be a String, got ${JSON.stringify(given)}`);
      return given;
    case 'Integer': {
      const text = String(given);
      if (!/^-?\d+$/.test(text)) fail(`must be an Integer, got ${JSON.stringify(given)}`);
      return Number(text);
    }
    case 'Boolean':
      if (given === true || given === 'true') return true;
      if (given === false || given === 'false') return false;
      return fail(`must be a Boolean (true or false), got ${JSON.stringify(given)}`);
    default:
      throw new UnsupportedRunbookFeatureError(
        `parameter "${name}" has type ${declared.type}, which is not implemented`,
      );
  }
}

/**
 * Checks and types the execution's parameters as StartAutomationExecution does, before any step runs.
 *
 * @param document - the runbook
 * @param given - the parameters given, as the API takes them (strings)
 * @returns every declared parameter's typed value, defaults applied
 * @throws InvalidAutomationParametersError naming the first parameter that is unknown, missing, mistyped,
 *   off its `allowedPattern` or outside its `allowedValues`
 */
export function resolveParameters(
  document: AutomationDocument,
  given: Readonly<Record<string, unknown>>,
): Values {
  for (const name of Object.keys(given)) {
    if (!(name in document.parameters)) {
      throw new InvalidAutomationParametersError(`Parameter "${name}" is not declared by the runbook`);
    }
  }
  const values: Values = {};
  for (const [name, declared] of Object.entries(document.parameters)) {
    const raw = name in given ? given[name] : declared.default;
    if (raw === undefined) throw new InvalidAutomationParametersError(`Parameter "${name}" is required`);
    const value = parameterValue(name, declared, raw);
    if (declared.allowedPattern !== undefined && !new RegExp(declared.allowedPattern).test(String(value))) {
      throw new InvalidAutomationParametersError(
        `Parameter "${name}" value ${JSON.stringify(value)} does not match allowedPattern ${declared.allowedPattern}`,
      );
    }
    if (
      declared.allowedValues !== undefined &&
      !declared.allowedValues.some((v) => String(v) === String(value))
    ) {
      throw new InvalidAutomationParametersError(
        `Parameter "${name}" value ${JSON.stringify(value)} is not one of allowedValues ${declared.allowedValues.join(', ')}`,
      );
    }
    values[name] = value;
  }
  return values;
}

function operatorsIn(condition: Record<string, unknown>, step: string): void {
  for (const [key, value] of Object.entries(condition)) {
    if (key === 'NextStep' || key === 'Variable') continue;
    if (key === 'And' || key === 'Or') {
      if (!Array.isArray(value))
        throw new UnsupportedRunbookFeatureError(`step ${step}: ${key} must be a list`);
      for (const inner of value) operatorsIn(inner as Record<string, unknown>, step);
    } else if (key === 'Not') {
      operatorsIn(value as Record<string, unknown>, step);
    } else if (!SUPPORTED_OPERATORS.has(key)) {
      throw new UnsupportedRunbookFeatureError(`step ${step}: branch operator ${key} is not implemented`);
    }
  }
}

/**
 * Checks that the executor implements every action, step attribute and branch operator the runbook uses.
 *
 * @param document - the runbook
 * @throws UnsupportedRunbookFeatureError naming the first thing it does not implement
 */
export function assertSupported(document: AutomationDocument): void {
  for (const step of document.mainSteps) {
    if (!SUPPORTED_ACTIONS.has(step.action)) {
      throw new UnsupportedRunbookFeatureError(`step ${step.name}: action ${step.action} is not implemented`);
    }
    for (const key of Object.keys(step)) {
      if (!SUPPORTED_STEP_KEYS.has(key)) {
        throw new UnsupportedRunbookFeatureError(`step ${step.name}: attribute ${key} is not implemented`);
      }
    }
    const selectors = [
      ...(step.outputs ?? []).map((output) => output.Selector),
      ...(typeof step.inputs.PropertySelector === 'string' ? [step.inputs.PropertySelector] : []),
    ];
    for (const selector of selectors) {
      try {
        parseDocumentedJsonPath(selector);
      } catch (error) {
        throw new UnsupportedRunbookFeatureError(`step ${step.name}: ${(error as Error).message}`);
      }
    }
    if (step.action === 'aws:executeScript' && step.inputs.Runtime !== SUPPORTED_SCRIPT_RUNTIME) {
      throw new UnsupportedRunbookFeatureError(
        `step ${step.name}: script Runtime ${String(step.inputs.Runtime)} is not implemented (only ${SUPPORTED_SCRIPT_RUNTIME})`,
      );
    }
    if (step.action === 'aws:branch') {
      const choices = step.inputs.Choices;
      if (!Array.isArray(choices))
        throw new UnsupportedRunbookFeatureError(`step ${step.name}: Choices must be a list`);
      for (const choice of choices) operatorsIn(choice as Record<string, unknown>, step.name);
    }
  }
}

/** Runs Automation runbooks offline. */
export class RunbookExecutor {
  private readonly selectorMiss: SelectorMissBehaviour;
  private readonly waitPollLimit: number;
  private readonly waitPollIntervalMs: number;
  private readonly globalValues: Readonly<Record<string, string>>;

  constructor(private readonly options: RunbookExecutorOptions) {
    this.globalValues = {
      'global:ACCOUNT_ID': '123456789012',
      'global:REGION': 'us-east-1',
      'global:AWS_PARTITION': 'aws',
      ...options.globals,
    };
    this.selectorMiss = options.selectorMiss ?? 'output-absent';
    this.waitPollLimit = options.waitPollLimit ?? 20;
    this.waitPollIntervalMs = options.waitPollIntervalMs ?? 1;
  }

  /**
   * Runs a runbook from its first step, as one Automation execution.
   *
   * @param document - the runbook
   * @param parameters - the execution's parameters, as StartAutomationExecution takes them
   * @returns the execution's outcome; a failed step is an outcome, not an exception
   * @throws InvalidAutomationParametersError before any step when a parameter is refused
   * @throws UnsupportedRunbookFeatureError before any step when the runbook uses something not implemented
   */
  async run(
    document: AutomationDocument,
    parameters: Readonly<Record<string, unknown>>,
  ): Promise<ExecutionResult> {
    assertSupported(document);
    const execution = new Execution(document, resolveParameters(document, parameters), this);
    return execution.run();
  }

  /** @internal */
  async callApi(inputs: Values, where: string): Promise<unknown> {
    const request: Values = { ...inputs };
    const service = String(request.Service);
    const api = String(request.Api);
    // Service and Api pick the call; PropertySelector and DesiredValues belong to assert and wait steps.
    for (const key of ['Service', 'Api', 'PropertySelector', 'DesiredValues']) delete request[key];
    const client = this.options.clients[service];
    if (client === undefined)
      throw new UnsupportedRunbookFeatureError(`${where}: no client for service ${service}`);
    const found = sdkCommandFor(service, api);
    if ('missing' in found) throw new UnsupportedRunbookFeatureError(`${where}: ${found.missing}`);
    const Command = found.command;
    try {
      // The command matches the client by construction: both come from the service's SDK package.
      return await client.send(new Command(request) as never);
    } catch (error) {
      const { name, message } = error as Error;
      if (!isServiceError(error)) {
        throw new UnsupportedRunbookFeatureError(`${where}: ${service}.${api} is not modelled: ${message}`);
      }
      throw new StepFailedError(`${where}: ${service}.${api} failed: ${name}: ${message}`, error);
    }
  }

  /** @internal */
  globalValue(reference: string): string | undefined {
    return this.globalValues[reference];
  }

  /**
   * Runs a script's handler for real with `python3`; its boto3 calls are answered by this executor's clients.
   *
   * @internal
   */
  async runScript(
    script: string,
    handler: string,
    payload: unknown,
    where: string,
    record: (service: string, api: string) => void,
  ): Promise<unknown> {
    const harness = ScriptHarness.for(this.options.python ?? 'python3');
    let unsupported: string | undefined;
    const outcome = await harness.run(
      { script, handler, payload, region: this.globalValues['global:REGION'] },
      async (service, api, params) => {
        record(service, api);
        try {
          const response = await this.callApi({ ...params, Service: service, Api: api }, where);
          // The SDK's own bookkeeping is no part of the service's answer.
          const body = Object.fromEntries(
            Object.entries(response as Values).filter(([key]) => key !== '$metadata'),
          );
          return { response: body };
        } catch (error) {
          if (error instanceof UnsupportedRunbookFeatureError) unsupported ??= error.message;
          const raw = error instanceof StepFailedError ? error.cause : error;
          const { name, message } = raw as Error;
          return { error: { code: name, message } };
        }
      },
    );
    if (unsupported !== undefined) throw new UnsupportedRunbookFeatureError(unsupported);
    if ('exited' in outcome) {
      throw new UnsupportedRunbookFeatureError(`${where}: the script harness ${outcome.exited}`);
    }
    if ('raised' in outcome) {
      throw new StepFailedError(
        `${where}: the script raised ${outcome.raised.type}: ${outcome.raised.message}`,
      );
    }
    return outcome.result;
  }

  /** @internal */
  get missBehaviour(): SelectorMissBehaviour {
    return this.selectorMiss;
  }

  /** @internal */
  get pollLimit(): number {
    return this.waitPollLimit;
  }

  /** @internal */
  async pause(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, this.waitPollIntervalMs));
  }
}

type HarnessReply = { response: unknown } | { error: { code: string; message: string } };
type HarnessOutcome =
  { result: unknown } | { raised: { type: string; message: string } } | { exited: string };
type HarnessCallHandler = (service: string, api: string, params: Values) => Promise<HarnessReply>;

/**
 * One long-lived `python3 execute-script-harness.py` per interpreter, serving script runs one after
 * another (boto3 is imported once). Unreferenced, so it never keeps the test process alive; it ends when
 * its input closes.
 */
class ScriptHarness {
  private static readonly running = new Map<string, ScriptHarness>();
  private readonly lines: AsyncIterator<string>;
  private queue: Promise<unknown> = Promise.resolve();
  private stderr = '';

  private constructor(python: string) {
    const child = spawn(python, [SCRIPT_HARNESS], {
      stdio: ['pipe', 'pipe', 'pipe'],
      // No user configuration, credentials or endpoint from the environment reach the script.
      env: {
        PATH: process.env.PATH ?? '',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
    });
    child.stderr.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
    child.on('close', () => ScriptHarness.running.delete(python));
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) {
      (stream as unknown as { unref?: () => void }).unref?.();
    }
    this.child = child;
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }

  private readonly child: ReturnType<typeof spawn>;

  static for(python: string): ScriptHarness {
    let harness = ScriptHarness.running.get(python);
    if (harness === undefined) {
      harness = new ScriptHarness(python);
      ScriptHarness.running.set(python, harness);
    }
    return harness;
  }

  /** Runs one script to its end, answering its calls with `onCall`; runs never overlap. */
  run(request: Values, onCall: HarnessCallHandler): Promise<HarnessOutcome> {
    const next = this.queue.then(() => this.runNow(request, onCall));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runNow(request: Values, onCall: HarnessCallHandler): Promise<HarnessOutcome> {
    this.write(request);
    for (;;) {
      const line = await this.lines.next();
      if (line.done === true) return { exited: `exited without a result: ${this.stderr}` };
      const message = JSON.parse(line.value) as Record<string, unknown>;
      if (isPlainObject(message.call)) {
        const { service, api, params } = message.call as { service: string; api: string; params: Values };
        this.write(await onCall(service, api, params));
      } else if ('result' in message || 'raised' in message) {
        return message as HarnessOutcome;
      } else {
        return { exited: `sent an unknown message: ${line.value}` };
      }
    }
  }

  private write(message: unknown): void {
    this.child.stdin?.write(`${JSON.stringify(message)}\n`);
  }
}

class Execution {
  private readonly variables: Values = {};
  private readonly variableTypes: Record<string, AutomationValueType> = {};
  private readonly stepOutputs: Values = {};
  private readonly records: StepRecord[] = [];
  private readonly selectorMisses: string[] = [];
  private readonly scriptCalls: ScriptCall[] = [];

  constructor(
    private readonly document: AutomationDocument,
    private readonly parameters: Values,
    private readonly executor: RunbookExecutor,
  ) {
    for (const [name, variable] of Object.entries(document.variables ?? {})) {
      this.variables[name] = variable.default;
      this.variableTypes[name] = variable.type;
    }
  }

  async run(): Promise<ExecutionResult> {
    const steps = this.document.mainSteps;
    let index: number | undefined = 0;
    let failure: string | undefined;
    while (index !== undefined && index < steps.length) {
      if (this.records.length >= MAX_STEPS_RUN) {
        throw new UnsupportedRunbookFeatureError(`more than ${MAX_STEPS_RUN} steps run: the runbook loops`);
      }
      const current: number = index;
      const step: AutomationStep = steps[current];
      try {
        const chosen = await this.runStep(step);
        this.records.push({ name: step.name, action: step.action, status: 'Success' });
        index = step.isEnd === true ? undefined : this.indexAfter(step, current, chosen);
      } catch (error) {
        if (!(error instanceof StepFailedError)) throw error;
        this.records.push({
          name: step.name,
          action: step.action,
          status: 'Failed',
          failureMessage: error.message,
        });
        const onFailure = step.onFailure ?? 'Abort';
        const critical = step.isCritical ?? onFailure !== 'Continue';
        if (critical) failure ??= error.message;
        if (onFailure === 'Abort') break;
        if (onFailure === 'Continue') {
          index = this.indexAfter(step, current, undefined);
        } else if (onFailure.startsWith('step:')) {
          index = this.indexOf(onFailure.slice('step:'.length), step.name);
        } else {
          throw new UnsupportedRunbookFeatureError(
            `step ${step.name}: onFailure ${onFailure} is not implemented`,
          );
        }
      }
    }
    const outputs: Values = {};
    for (const reference of this.document.outputs ?? []) {
      if (reference in this.stepOutputs) outputs[reference] = this.stepOutputs[reference];
    }
    return {
      status: failure === undefined ? 'Success' : 'Failed',
      ...(failure === undefined ? {} : { failureMessage: failure }),
      steps: this.records,
      stepOutputs: { ...this.stepOutputs },
      outputs,
      variables: { ...this.variables },
      selectorMisses: this.selectorMisses,
      scriptCalls: this.scriptCalls,
    };
  }

  private indexOf(name: string, from: string): number {
    const index = this.document.mainSteps.findIndex((step) => step.name === name);
    if (index < 0) throw new RunbookReferenceError(`step ${from} goes to step ${name}, which does not exist`);
    return index;
  }

  private indexAfter(step: AutomationStep, index: number, chosen: string | undefined): number {
    if (chosen !== undefined) return this.indexOf(chosen, step.name);
    if (step.nextStep !== undefined) return this.indexOf(step.nextStep, step.name);
    return index + 1;
  }

  /** Runs one step; returns the step a branch chose. */
  private async runStep(step: AutomationStep): Promise<string | undefined> {
    const where = `Step ${step.name}`;
    switch (step.action) {
      case 'aws:executeAwsApi':
        await this.executeAwsApi(step, where);
        return undefined;
      case 'aws:assertAwsResourceProperty':
        await this.assertProperty(this.resolve(step.inputs, where) as Values, where);
        return undefined;
      case 'aws:waitForAwsResourceProperty':
        await this.waitForProperty(step, where);
        return undefined;
      case 'aws:branch':
        return this.branch(step, where);
      case 'aws:updateVariable':
        this.updateVariable(step, where);
        return undefined;
      case 'aws:executeScript':
        await this.executeScript(step, where);
        return undefined;
      default:
        throw new UnsupportedRunbookFeatureError(`${where}: action ${step.action} is not implemented`);
    }
  }

  private async executeAwsApi(step: AutomationStep, where: string): Promise<void> {
    const response = await this.executor.callApi(this.resolve(step.inputs, where) as Values, where);
    this.selectOutputs(step, response, where);
  }

  private async executeScript(step: AutomationStep, where: string): Promise<void> {
    const { Runtime, Handler, Script, InputPayload } = step.inputs;
    if (Runtime !== SUPPORTED_SCRIPT_RUNTIME || typeof Handler !== 'string' || typeof Script !== 'string') {
      throw new UnsupportedRunbookFeatureError(
        `${where}: only Runtime ${SUPPORTED_SCRIPT_RUNTIME} with a Handler and an inline Script is implemented`,
      );
    }
    const payload = this.resolve(InputPayload ?? {}, where);
    const result = await this.executor.runScript(Script, Handler, payload, where, (service, api) =>
      this.scriptCalls.push({ step: step.name, service, api }),
    );
    // Automation puts the handler's return value under Payload.
    this.selectOutputs(step, { Payload: result }, where);
  }

  private selectOutputs(step: AutomationStep, response: unknown, where: string): void {
    for (const output of step.outputs ?? []) {
      const key = `${step.name}.${output.Name}`;
      const matches = selectDocumentedJsonPath(output.Selector, response);
      if (matches.length === 0) {
        this.selectorMisses.push(key);
        if (this.executor.missBehaviour === 'step-fails') {
          throw new StepFailedError(
            `${where}: output ${output.Name} selector ${output.Selector} matched nothing`,
          );
        }
        continue;
      }
      this.stepOutputs[key] = convertOutput(
        matches.length === 1 ? matches[0] : matches,
        output.Type ?? 'String',
        where,
      );
    }
  }

  private async assertProperty(inputs: Values, where: string): Promise<void> {
    const response = await this.executor.callApi(inputs, where);
    this.checkProperty(response, inputs, where);
  }

  private checkProperty(response: unknown, inputs: Values, where: string): void {
    const selector = inputs.PropertySelector;
    const desired = inputs.DesiredValues;
    if (
      typeof selector !== 'string' ||
      !Array.isArray(desired) ||
      desired.some((v) => typeof v !== 'string')
    ) {
      throw new UnsupportedRunbookFeatureError(
        `${where}: PropertySelector must be a string and DesiredValues strings`,
      );
    }
    const matches = selectDocumentedJsonPath(selector, response);
    if (matches.length === 0) {
      throw new StepFailedError(`${where}: PropertySelector ${selector} matched nothing in the API response`);
    }
    for (const match of matches) {
      const value = asPropertyString(match, where);
      if (!desired.includes(value)) {
        throw new StepFailedError(
          `${where}: property value '${value}' is not in the desired values ${JSON.stringify(desired)}`,
        );
      }
    }
  }

  private async waitForProperty(step: AutomationStep, where: string): Promise<void> {
    const inputs = this.resolve(step.inputs, where) as Values;
    let lastProblem = '';
    for (let poll = 1; poll <= this.executor.pollLimit; poll += 1) {
      const response = await this.executor.callApi(inputs, where);
      try {
        this.checkProperty(response, inputs, where);
        return;
      } catch (error) {
        if (!(error instanceof StepFailedError)) throw error;
        lastProblem = error.message;
      }
      await this.executor.pause();
    }
    throw new StepFailedError(
      `${where}: timed out after ${this.executor.pollLimit} reads; last: ${lastProblem}`,
    );
  }

  private branch(step: AutomationStep, where: string): string | undefined {
    const choices = step.inputs.Choices as Record<string, unknown>[];
    for (const choice of choices) {
      if (typeof choice.NextStep !== 'string') {
        throw new UnsupportedRunbookFeatureError(`${where}: every choice needs a NextStep`);
      }
      if (this.evaluate(choice, where)) return choice.NextStep;
    }
    const fallback = step.inputs.Default;
    return typeof fallback === 'string' ? fallback : undefined;
  }

  private evaluate(condition: Record<string, unknown>, where: string): boolean {
    if (Array.isArray(condition.And)) {
      return (condition.And as Record<string, unknown>[]).every((inner) => this.evaluate(inner, where));
    }
    if (Array.isArray(condition.Or)) {
      return (condition.Or as Record<string, unknown>[]).some((inner) => this.evaluate(inner, where));
    }
    if (isPlainObject(condition.Not)) return !this.evaluate(condition.Not, where);
    if (typeof condition.Variable !== 'string') {
      throw new UnsupportedRunbookFeatureError(`${where}: a choice needs And, Or, Not or a Variable`);
    }
    const operators = Object.keys(condition).filter((key) => SUPPORTED_OPERATORS.has(key));
    if (operators.length !== 1) {
      throw new UnsupportedRunbookFeatureError(
        `${where}: a choice needs exactly one operator, got ${operators.length}`,
      );
    }
    const operator = operators[0];
    const value = this.resolve(condition.Variable, where);
    const operand = this.resolve(condition[operator], where);
    return compare(operator, value, operand, where);
  }

  private updateVariable(step: AutomationStep, where: string): void {
    const name = /^variable:([A-Za-z0-9_]+)$/.exec(String(step.inputs.Name));
    if (name === null || !(name[1] in this.variableTypes)) {
      throw new RunbookReferenceError(
        `${where}: ${String(step.inputs.Name)} is not a declared variable:Name`,
      );
    }
    const value = this.resolve(step.inputs.Value, where);
    const type = this.variableTypes[name[1]];
    if (!matchesType(value, type)) {
      throw new StepFailedError(
        `${where}: value ${JSON.stringify(value)} does not match variable type ${type}`,
      );
    }
    this.variables[name[1]] = value;
  }

  /** Substitutes every `{{ }}` reference; a string that is exactly one reference takes the referenced value's type. */
  private resolve(value: unknown, where: string): unknown {
    if (typeof value === 'string') {
      const whole = WHOLE_REFERENCE.exec(value);
      if (whole !== null) return this.lookup(whole[1], where);
      return value.replace(REFERENCE, (_match, reference: string) => {
        const found = this.lookup(reference, where);
        if (isPlainObject(found) || Array.isArray(found)) {
          throw new StepFailedError(
            `${where}: {{ ${reference} }} is not a scalar and cannot be part of a string`,
          );
        }
        return String(found);
      });
    }
    if (Array.isArray(value)) return value.map((item) => this.resolve(item, where));
    if (isPlainObject(value)) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.resolve(item, where)]));
    }
    return value;
  }

  private lookup(reference: string, where: string): unknown {
    if (reference.startsWith('variable:')) {
      const name = reference.slice('variable:'.length);
      if (!(name in this.variables))
        throw new RunbookReferenceError(`${where}: variable ${name} is not declared`);
      return this.variables[name];
    }
    if (reference.includes(':')) {
      const value = this.executor.globalValue(reference);
      if (value !== undefined) return value;
      throw new UnsupportedRunbookFeatureError(`${where}: reference {{ ${reference} }} is not implemented`);
    }
    if (reference.includes('.')) {
      const [stepName] = reference.split('.');
      if (!this.document.mainSteps.some((step) => step.name === stepName)) {
        throw new RunbookReferenceError(`${where}: {{ ${reference} }} names no step`);
      }
      if (!(reference in this.stepOutputs)) {
        throw new StepFailedError(`${where}: output {{ ${reference} }} is not available`);
      }
      return this.stepOutputs[reference];
    }
    if (!(reference in this.parameters)) {
      throw new RunbookReferenceError(`${where}: {{ ${reference} }} is not a declared parameter`);
    }
    return this.parameters[reference];
  }
}

function matchesType(value: unknown, type: AutomationValueType): boolean {
  switch (type) {
    case 'String':
      return typeof value === 'string';
    case 'Integer':
      return Number.isInteger(value);
    case 'Boolean':
      return typeof value === 'boolean';
    case 'StringList':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'StringMap':
      return isPlainObject(value);
    case 'MapList':
      return Array.isArray(value) && value.every(isPlainObject);
  }
}

function convertOutput(value: unknown, type: AutomationValueType, where: string): unknown {
  const fail = (): never => {
    throw new StepFailedError(
      `${where}: output value ${JSON.stringify(value)} cannot be converted to ${type}`,
    );
  };
  switch (type) {
    case 'String':
      return typeof value === 'string' || typeof value === 'number' ? String(value) : fail();
    case 'Integer':
      if (Number.isInteger(value)) return value;
      return typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : fail();
    case 'Boolean':
      if (typeof value === 'boolean') return value;
      return value === 'true' || value === 'false' ? value === 'true' : fail();
    case 'StringList':
      if (typeof value === 'string') return [value];
      return matchesType(value, type) ? value : fail();
    case 'StringMap':
    case 'MapList':
      return matchesType(value, type) ? value : fail();
  }
}

function toNumber(value: unknown, where: string): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (Number.isNaN(number) || (typeof value === 'string' && value.trim() === '')) {
    throw new StepFailedError(`${where}: ${JSON.stringify(value)} is not a number`);
  }
  return number;
}

function toBoolean(value: unknown, where: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new StepFailedError(`${where}: ${JSON.stringify(value)} is not a Boolean`);
}

function toText(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new StepFailedError(`${where}: ${JSON.stringify(value)} is not a string`);
}

function compare(operator: string, value: unknown, operand: unknown, where: string): boolean {
  switch (operator) {
    case 'StringEquals':
      return toText(value, where) === toText(operand, where);
    case 'EqualsIgnoreCase':
      return toText(value, where).toLowerCase() === toText(operand, where).toLowerCase();
    case 'StartsWith':
      return toText(value, where).startsWith(toText(operand, where));
    case 'EndsWith':
      return toText(value, where).endsWith(toText(operand, where));
    case 'Contains':
      return toText(value, where).includes(toText(operand, where));
    case 'NumericEquals':
      return toNumber(value, where) === toNumber(operand, where);
    case 'NumericGreater':
      return toNumber(value, where) > toNumber(operand, where);
    case 'NumericLesser':
      return toNumber(value, where) < toNumber(operand, where);
    case 'NumericGreaterOrEquals':
      return toNumber(value, where) >= toNumber(operand, where);
    case 'NumericLesserOrEquals':
      return toNumber(value, where) <= toNumber(operand, where);
    case 'BooleanEquals':
      return toBoolean(value, where) === toBoolean(operand, where);
    default:
      throw new UnsupportedRunbookFeatureError(`${where}: branch operator ${operator} is not implemented`);
  }
}
