/**
 * Follows a Client VPN endpoint's `cloudwatch_log_group` expression through the plan's `configuration`
 * to the `aws_cloudwatch_log_group` it names, for when the name itself is unknown until apply (a group
 * with `name_prefix`, or a name built from values known only after apply).
 *
 * The configuration describes module calls, not module instances, and its addresses and references are
 * relative to their module; references are plain strings that the format asks callers to compare as such.
 * https://developer.hashicorp.com/terraform/internals/json-format#expression-representation
 */
import {
  ENDPOINT_RESOURCE_TYPE,
  isObject,
  type JsonObject,
  LOG_GROUP_RESOURCE_TYPE,
  type PlannedEndpoint,
  type PlannedLogGroup,
  type TerraformPlan,
} from './terraform-plan';

/** The log group an endpoint's expression leads to, and the attribute of it that the expression reads. */
export interface ReferencedLogGroup {
  /** The planned log group. */
  readonly group: PlannedLogGroup;
  /** The attribute read (`name`, `id`, `arn`); absent when the reference names the whole resource. */
  readonly attribute?: string;
}

// An instance key: a number, or a quoted string that may hold escaped quotes.
const INSTANCE_KEY = String.raw`\[(?:\d+|"(?:[^"\\]|\\.)*")\]`;
const MODULE_SEGMENT = new RegExp(String.raw`module\.([A-Za-z_][\w-]*)(?:${INSTANCE_KEY})?`, 'g');
const GROUP_REFERENCE = new RegExp(
  String.raw`^${LOG_GROUP_RESOURCE_TYPE}\.([A-Za-z_][\w-]*)((?:${INSTANCE_KEY})?)(?:\.([A-Za-z_][\w-]*))?`,
);
const VARIABLE_REFERENCE = /^var\.([A-Za-z_][\w-]*)$/;
const OUTPUT_REFERENCE = /^module\.([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)$/;
// A module output reference comes with the module call it implies (`module.logs.name`, `module.logs`).
const OUTPUT_OR_CALL = /^module\.[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)?$/;

// Each step leaves a module or enters one, and a module tree is finite; this only bounds a malformed plan.
const MAX_STEPS = 64;

/** The module call names of a module instance address: `module.a[0].module.b` is `a`, `b`. */
function moduleCallNames(moduleAddress: string): string[] {
  return [...moduleAddress.matchAll(MODULE_SEGMENT)].map((match) => match[1]);
}

/** The address without instance keys, which is how configuration names a module. */
function withoutKeys(address: string): string {
  return address.replace(new RegExp(INSTANCE_KEY, 'g'), '');
}

function configModule(configuration: unknown, path: readonly string[]): JsonObject | undefined {
  let module = isObject(configuration) ? configuration.root_module : undefined;
  for (const name of path) {
    const calls = isObject(module) ? module.module_calls : undefined;
    const call = isObject(calls) ? calls[name] : undefined;
    module = isObject(call) ? call.module : undefined;
  }
  return isObject(module) ? module : undefined;
}

function parentInstance(moduleAddress: string): string {
  const segments = [...moduleAddress.matchAll(MODULE_SEGMENT)].map((match) => match[0]);
  return segments.slice(0, -1).join('.');
}

interface Step {
  readonly expression: unknown;
  readonly path: readonly string[];
  /** The module instance the expression is evaluated in, or a prefix of it when a call's keys are unknown. */
  readonly instance: string;
}

interface GroupTarget {
  readonly path: readonly string[];
  readonly instance: string;
  readonly name: string;
  readonly key: string;
  readonly attribute?: string;
}

function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

// One step along the expression: to the group it names, or to the expression it takes its value from.
function follow(step: Step, configuration: unknown): GroupTarget | Step | undefined {
  const references = isObject(step.expression) ? step.expression.references : undefined;
  if (!Array.isArray(references)) return undefined;
  const strings = references.filter((reference): reference is string => typeof reference === 'string');
  const groups = strings.flatMap((reference) => {
    const match = GROUP_REFERENCE.exec(reference);
    return match ? [{ name: match[1], key: match[2], attribute: match[3] }] : [];
  });
  // Anything else in the expression (a local, a string around the name) makes it more than the reference.
  const onlyOf = (pattern: RegExp): boolean => strings.every((reference) => pattern.test(reference));
  if (groups.length > 0 && !onlyOf(GROUP_REFERENCE)) return undefined;
  if (distinct(groups.map((group) => group.name)).length === 1) {
    // References repeat each step of a traversal; the longest one carries the key and attribute.
    const keyed = groups.filter((group) => group.key !== '');
    if (distinct(keyed.map((group) => group.key)).length > 1) return undefined;
    const target = keyed[0] ?? groups[0];
    const attribute = groups.find((group) => group.attribute !== undefined)?.attribute;
    return { path: step.path, instance: step.instance, name: target.name, key: target.key, attribute };
  }
  if (groups.length > 0) return undefined;
  const variables = distinct(strings.flatMap((reference) => VARIABLE_REFERENCE.exec(reference)?.[1] ?? []));
  const outputs = strings.flatMap((reference) => {
    const match = OUTPUT_REFERENCE.exec(reference);
    return match ? [`${match[1]}.${match[2]}`] : [];
  });
  if (variables.length === 1 && onlyOf(VARIABLE_REFERENCE) && step.path.length > 0) {
    const parentPath = step.path.slice(0, -1);
    const calls = configModule(configuration, parentPath)?.module_calls;
    const call = isObject(calls) ? calls[step.path[step.path.length - 1]] : undefined;
    const expressions = isObject(call) ? call.expressions : undefined;
    return {
      expression: isObject(expressions) ? expressions[variables[0]] : undefined,
      path: parentPath,
      instance: parentInstance(step.instance),
    };
  }
  if (distinct(outputs).length === 1 && onlyOf(OUTPUT_OR_CALL)) {
    const [call, output] = outputs[0].split('.');
    const path = [...step.path, call];
    const outputsOf = configModule(configuration, path)?.outputs;
    const declared = isObject(outputsOf) ? outputsOf[output] : undefined;
    return {
      expression: isObject(declared) ? declared.expression : undefined,
      path,
      instance: step.instance === '' ? `module.${call}` : `${step.instance}.module.${call}`,
    };
  }
  return undefined;
}

function plannedGroup(plan: TerraformPlan, target: GroupTarget): PlannedLogGroup | undefined {
  const modulePath = target.path.map((name) => `module.${name}`).join('.');
  const local = `${LOG_GROUP_RESOURCE_TYPE}.${target.name}`;
  const candidates = plan.logGroups.filter(
    (group) =>
      withoutKeys(group.moduleAddress) === modulePath &&
      group.moduleAddress.startsWith(target.instance) &&
      group.name === target.name &&
      (target.key === '' || group.address.endsWith(`${local}${target.key}`)),
  );
  // More than one instance (count, for_each, a module call with keys) and no key to choose: not resolved.
  return candidates.length === 1 ? candidates[0] : undefined;
}

/**
 * The `aws_cloudwatch_log_group` of the same plan that an endpoint's
 * `connection_log_options[0].cloudwatch_log_group` expression refers to, followed through module input
 * variables and module outputs.
 *
 * @param plan - the parsed plan
 * @param endpoint - the planned endpoint
 * @returns the group and the attribute read, or `undefined` when the expression is a constant, refers to
 *   something else (a local value, a data source), or could refer to more than one instance
 */
export function referencedLogGroup(
  plan: TerraformPlan,
  endpoint: PlannedEndpoint,
): ReferencedLogGroup | undefined {
  const path = moduleCallNames(endpoint.moduleAddress);
  const resources = configModule(plan.configuration, path)?.resources;
  const declared = Array.isArray(resources)
    ? resources.find(
        (resource) => isObject(resource) && resource.address === `${ENDPOINT_RESOURCE_TYPE}.${endpoint.name}`,
      )
    : undefined;
  const options =
    isObject(declared) && isObject(declared.expressions)
      ? declared.expressions.connection_log_options
      : undefined;
  // A nested block is a list of block expressions; connection_log_options has at most one.
  const block = Array.isArray(options) ? options[0] : options;
  let step: Step | GroupTarget | undefined = {
    expression: isObject(block) ? block.cloudwatch_log_group : undefined,
    path,
    instance: endpoint.moduleAddress,
  };
  for (let count = 0; step !== undefined && count < MAX_STEPS; count++) {
    if ('name' in step) {
      const group = plannedGroup(plan, step);
      return group === undefined
        ? undefined
        : { group, ...(step.attribute ? { attribute: step.attribute } : {}) };
    }
    step = follow(step, plan.configuration);
  }
  return undefined;
}
