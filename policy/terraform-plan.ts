/**
 * Reads a Terraform plan in its documented JSON form (`terraform show -json plan.out`) and extracts the
 * facts the connection-logging decision needs: every `aws_ec2_client_vpn_endpoint` and
 * `aws_cloudwatch_log_group` the plan leaves in place, at any module depth, with each attribute known,
 * unknown until apply, or absent; and what the plan deletes.
 *
 * Plan format: https://developer.hashicorp.com/terraform/internals/json-format
 * Resources (AWS provider 5.x and 6.x; 6.x adds the `region` argument to every regional resource):
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ec2_client_vpn_endpoint
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_log_group
 * https://hashicorp.github.io/terraform-provider-aws/enhanced-region-support
 */

import { CLOUDWATCH_RETENTION_DAYS } from '../rule/cloudwatch-logs-limits';
import { PolicyError } from './policy-error';

/** An input is not a Terraform plan that can be read; nothing is judged then. */
export class MalformedTerraformPlanError extends PolicyError {
  public override readonly name = 'MalformedTerraformPlanError';

  /**
   * @param input - the file as given, or `-` for standard input
   * @param problem - what is wrong with it
   */
  public constructor(
    public readonly input: string,
    problem: string,
  ) {
    super(`Cannot read Terraform plan ${input === '-' ? '(standard input)' : input}: ${problem}`);
  }
}

/** The Terraform resource type of a Client VPN endpoint. */
export const ENDPOINT_RESOURCE_TYPE = 'aws_ec2_client_vpn_endpoint';

/** The Terraform resource type of a CloudWatch Logs group. */
export const LOG_GROUP_RESOURCE_TYPE = 'aws_cloudwatch_log_group';

/** The plan format's major version this reader understands; the format says to reject any other. */
const SUPPORTED_MAJOR_VERSION = '1';

/** One attribute of a planned resource: its value, unknown until apply, or absent (null or unset). */
export type PlanValue<T> =
  | { readonly state: 'known'; readonly value: T }
  | { readonly state: 'unknown' }
  | { readonly state: 'absent' };

/** A resource instance the plan leaves in place (created, updated, replaced or unchanged). */
export interface PlannedResource {
  /** The full absolute address, e.g. `module.vpn["eu"].aws_ec2_client_vpn_endpoint.this[0]`. */
  readonly address: string;
  /** The module instance it is in, e.g. `module.vpn["eu"]`; empty for the root module. */
  readonly moduleAddress: string;
  /** The resource name in its module (`this` above). */
  readonly name: string;
  /** Provider 6.x's per-resource region; absent under provider 5.x. */
  readonly region: PlanValue<string>;
}

/** A Client VPN endpoint's connection-log settings, as planned. */
export interface PlannedEndpoint extends PlannedResource {
  /** `connection_log_options[0].enabled`. */
  readonly enabled: PlanValue<boolean>;
  /** `connection_log_options[0].cloudwatch_log_group`, a log group name. */
  readonly logGroup: PlanValue<string>;
  /** `connection_log_options[0].cloudwatch_log_stream`. */
  readonly logStream: PlanValue<string>;
}

/** A CloudWatch Logs group, as planned. */
export interface PlannedLogGroup extends PlannedResource {
  /** `name`. */
  readonly groupName: PlanValue<string>;
  /** `name_prefix`, which the generated name starts with when `name` is unset. */
  readonly namePrefix: PlanValue<string>;
  /** `retention_in_days`; 0 means the events never expire. */
  readonly retentionInDays: PlanValue<number>;
  /** `kms_key_id`. */
  readonly kmsKeyId: PlanValue<string>;
}

/** A resource instance the plan deletes and does not create again. */
export interface DeletedResource {
  /** Its full absolute address. */
  readonly address: string;
  /** Its resource type. */
  readonly type: string;
  /** For a log group, the name it had before the plan. */
  readonly logGroupName?: string;
}

/** Everything a plan says that the connection-logging judgement reads. */
export interface TerraformPlan {
  /** The plan as given: a file path, or `-`. */
  readonly input: string;
  /** The endpoints the plan leaves in place, in plan order. */
  readonly endpoints: readonly PlannedEndpoint[];
  /** The log groups the plan leaves in place. */
  readonly logGroups: readonly PlannedLogGroup[];
  /** Endpoints and log groups the plan deletes (not judged; a deleted log group fails its endpoints). */
  readonly deleted: readonly DeletedResource[];
  /** The plan's `configuration`, for following references where a value is unknown until apply. */
  readonly configuration: unknown;
}

/** A JSON object of the plan. */
export type JsonObject = Record<string, unknown>;

/**
 * Whether a JSON value is an object (not null, not an array), the shape of every plan node.
 *
 * @param value - a parsed JSON value
 * @returns true for an object
 */
export const isObject = (value: unknown): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Whether a parsed JSON document is Terraform's machine-readable output rather than a CloudFormation
 * template: Terraform's carries a top-level `format_version`, which no template has.
 *
 * @param body - the parsed document
 * @returns true for Terraform JSON output (a plan, or a state check-template refuses)
 */
export function isTerraformJson(body: unknown): boolean {
  return isObject(body) && 'format_version' in body;
}

// The value at a path of plain keys and list indexes, or undefined where the path leaves the value.
function at(value: unknown, path: readonly (string | number)[]): unknown {
  let node = value;
  for (const step of path) {
    if (typeof step === 'number' ? !Array.isArray(node) : !isObject(node)) return undefined;
    node = (node as Record<string | number, unknown>)[step];
  }
  return node;
}

// `after_unknown` marks an unknown leaf with true, or a whole unknown block or list with true higher up.
function isUnknown(afterUnknown: unknown, path: readonly (string | number)[]): boolean {
  for (let depth = 0; depth <= path.length; depth++) {
    if (at(afterUnknown, path.slice(0, depth)) === true) return true;
  }
  return false;
}

function planValue<T>(
  values: unknown,
  afterUnknown: unknown,
  path: readonly (string | number)[],
  isType: (value: unknown) => value is T,
  where: { readonly input: string; readonly address: string },
): PlanValue<T> {
  const value = at(values, path);
  if (value !== undefined && value !== null) {
    // Terraform omits an unknown value from the values, so a value that is there and marked unknown is a
    // contradiction: which of the two holds cannot be told.
    if (isUnknown(afterUnknown, path)) {
      throw new MalformedTerraformPlanError(
        where.input,
        `${where.address} has ${path.join('.')} both known (${JSON.stringify(value)}) and marked unknown in after_unknown`,
      );
    }
    if (!isType(value)) {
      throw new MalformedTerraformPlanError(
        where.input,
        `${where.address} has an unexpected value: ${path.join('.')} is ${JSON.stringify(value)}`,
      );
    }
    return { state: 'known', value };
  }
  return isUnknown(afterUnknown, path) ? { state: 'unknown' } : { state: 'absent' };
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
// retention_in_days takes 0 (never expire) or a value PutRetentionPolicy accepts; the provider refuses any
// other, so another value is not from a plan Terraform wrote.
const isRetentionDays = (value: unknown): value is number =>
  value === 0 || CLOUDWATCH_RETENTION_DAYS.includes(value as number);

// The format documents two resource modes, "managed" and "data"; any other is not a plan it describes.
const RESOURCE_MODES: readonly unknown[] = ['managed', 'data'];

function checkMode(input: string, mode: unknown, where: string): void {
  if (mode !== undefined && !RESOURCE_MODES.includes(mode)) {
    throw new MalformedTerraformPlanError(
      input,
      `${where} has mode ${JSON.stringify(mode)}, not one the format documents ("managed" or "data")`,
    );
  }
}

interface ValuesResource {
  readonly address: string;
  readonly mode?: unknown;
  readonly type: string;
  readonly name: string;
  readonly values?: unknown;
  /** The `address` of the module object that lists it; empty for the root module. */
  readonly moduleAddress: string;
}

// planned_values.root_module and its child_modules, at any depth, with each module's address.
function resourcesOf(
  input: string,
  module: unknown,
  where: string,
  found: ValuesResource[],
  depth = 0,
): void {
  if (!isObject(module)) throw new MalformedTerraformPlanError(input, `${where} is not an object`);
  const moduleAddress = depth === 0 ? '' : module.address;
  if (!isString(moduleAddress)) {
    throw new MalformedTerraformPlanError(input, `${where} has no address, as every child module has`);
  }
  if (depth > 100) throw new MalformedTerraformPlanError(input, `${where} nests modules more than 100 deep`);
  const resources = module.resources ?? [];
  const children = module.child_modules ?? [];
  if (!Array.isArray(resources))
    throw new MalformedTerraformPlanError(input, `${where}.resources is not a list`);
  if (!Array.isArray(children))
    throw new MalformedTerraformPlanError(input, `${where}.child_modules is not a list`);
  resources.forEach((resource, index) => {
    if (
      !isObject(resource) ||
      !isString(resource.address) ||
      !isString(resource.type) ||
      !isString(resource.name)
    ) {
      throw new MalformedTerraformPlanError(
        input,
        `${where}.resources[${index}] lacks the address, type and name every resource has`,
      );
    }
    checkMode(input, resource.mode, `${where}.resources[${index}]`);
    found.push({ ...(resource as unknown as ValuesResource), moduleAddress });
  });
  children.forEach((child, index) =>
    resourcesOf(input, child, `${where}.child_modules[${index}]`, found, depth + 1),
  );
}

interface ResourceChange {
  readonly address: string;
  readonly type?: unknown;
  readonly mode?: unknown;
  readonly module_address?: unknown;
  readonly deposed?: unknown;
  readonly change: {
    readonly actions: readonly string[];
    readonly before?: unknown;
    readonly after_unknown?: unknown;
  };
}

function resourceChanges(input: string, plan: JsonObject): ResourceChange[] {
  const changes = plan.resource_changes ?? [];
  if (!Array.isArray(changes)) throw new MalformedTerraformPlanError(input, 'resource_changes is not a list');
  return changes.map((change, index) => {
    if (
      !isObject(change) ||
      !isString(change.address) ||
      !isObject(change.change) ||
      !Array.isArray(change.change.actions) ||
      !change.change.actions.every(isString)
    ) {
      throw new MalformedTerraformPlanError(
        input,
        `resource_changes[${index}] lacks the address and change.actions every change has`,
      );
    }
    checkMode(input, change.mode, `resource_changes[${index}]`);
    return change as unknown as ResourceChange;
  });
}

// Actions after which the object is gone, so it is not in planned_values.
const REMOVING_ACTIONS: readonly string[] = ['delete', 'forget'];

// planned_values lists each address once, and every endpoint or group resource_changes keeps (creates,
// updates, leaves) must be in it, or the plan contradicts itself and judging planned_values alone would
// skip it.
function checkPlannedValuesConsistent(
  input: string,
  changes: readonly ResourceChange[],
  planned: readonly ValuesResource[],
): void {
  const addresses = new Set(planned.map((resource) => resource.address));
  // An address names one object: two entries of one address (say, one logging and one not) cannot both hold.
  if (addresses.size !== planned.length) {
    const twice = planned.find((resource, index) =>
      planned.slice(0, index).some((earlier) => earlier.address === resource.address),
    );
    throw new MalformedTerraformPlanError(input, `planned_values lists ${twice?.address} more than once`);
  }
  const missing = changes.find(
    (change) =>
      change.deposed === undefined &&
      (change.type === ENDPOINT_RESOURCE_TYPE || change.type === LOG_GROUP_RESOURCE_TYPE) &&
      (change.mode === undefined || change.mode === 'managed') &&
      !change.change.actions.every((action) => REMOVING_ACTIONS.includes(action)) &&
      !addresses.has(change.address),
  );
  if (missing !== undefined) {
    throw new MalformedTerraformPlanError(
      input,
      `resource_changes ${missing.change.actions.join('/')} ${missing.address}, which planned_values does not list: the plan is inconsistent`,
    );
  }
}

function readPlanDocument(input: string, text: string): JsonObject {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new MalformedTerraformPlanError(input, `not JSON (${(error as Error).message})`);
  }
  if (!isObject(body)) throw new MalformedTerraformPlanError(input, 'expected a JSON object');
  const version = body.format_version;
  if (!isString(version)) {
    throw new MalformedTerraformPlanError(
      input,
      'no format_version: write the plan with "terraform show -json plan.out"',
    );
  }
  // The format writes "major.minor"; "1.x" or "1" is not a version it says how to read.
  if (!/^\d+\.\d+$/.test(version)) {
    throw new MalformedTerraformPlanError(
      input,
      `format_version ${JSON.stringify(version)} is not "major.minor"`,
    );
  }
  if (version.split('.')[0] !== SUPPORTED_MAJOR_VERSION) {
    throw new MalformedTerraformPlanError(
      input,
      `format_version ${version} is not supported (only ${SUPPORTED_MAJOR_VERSION}.x; the format says to reject another major version)`,
    );
  }
  if (!('planned_values' in body) && 'values' in body) {
    throw new MalformedTerraformPlanError(
      input,
      'this is a Terraform state, not a plan: run "terraform plan -out=plan.out" and "terraform show -json plan.out"',
    );
  }
  if (!isObject(body.planned_values)) {
    throw new MalformedTerraformPlanError(input, 'no planned_values object, as every plan has');
  }
  // The plan's flags are booleans: "true" as a string is neither, and reading it as false would pass.
  const flag = ['errored', 'complete', 'applyable'].find((key) => key in body && !isBoolean(body[key]));
  if (flag !== undefined) {
    throw new MalformedTerraformPlanError(
      input,
      `${flag} is ${JSON.stringify(body[flag])}, not true or false`,
    );
  }
  if (body.errored === true) {
    throw new MalformedTerraformPlanError(input, 'Terraform marks this plan as errored, so it is incomplete');
  }
  // "complete": false means some changes are deferred to a later plan (listed in deferred_changes), so an
  // endpoint may be missing from planned_values: https://developer.hashicorp.com/terraform/internals/json-format
  const deferred = body.deferred_changes;
  if (body.complete === false || (Array.isArray(deferred) && deferred.length > 0)) {
    throw new MalformedTerraformPlanError(
      input,
      'Terraform marks this plan as incomplete ("complete": false, or deferred_changes listed): changes are deferred to a later plan, so it cannot be judged. Fix: plan again until the plan is complete',
    );
  }
  return body;
}

/**
 * Parses a plan written by `terraform show -json`, checking its documented shape, and extracts the
 * endpoints and log groups it leaves in place and the ones it deletes.
 *
 * @param input - the file as given, or `-`, for messages
 * @param text - the file's text
 * @returns the plan's facts
 * @throws MalformedTerraformPlanError when the text is not a plan of a supported format version
 */
export function parseTerraformPlan(input: string, text: string): TerraformPlan {
  const body = readPlanDocument(input, text);
  const planned: ValuesResource[] = [];
  const rootModule = (body.planned_values as JsonObject).root_module ?? {};
  resourcesOf(input, rootModule, 'planned_values.root_module', planned);
  const changes = resourceChanges(input, body);
  checkPlannedValuesConsistent(input, changes, planned);
  // The current object's change; a deposed object's change is about an object being replaced.
  const unknownByAddress = new Map(
    changes.filter((change) => change.deposed === undefined).map((c) => [c.address, c.change.after_unknown]),
  );
  const managed = planned.filter((resource) => resource.mode === undefined || resource.mode === 'managed');
  const where = (resource: ValuesResource) => ({ input, address: resource.address });
  const base = (resource: ValuesResource): PlannedResource & { values: unknown; unknown: unknown } => {
    const unknown = unknownByAddress.get(resource.address);
    return {
      address: resource.address,
      moduleAddress: resource.moduleAddress,
      name: resource.name,
      values: resource.values,
      unknown,
      region: planValue(resource.values, unknown, ['region'], isString, where(resource)),
    };
  };
  const endpoints = managed
    .filter((resource) => resource.type === ENDPOINT_RESOURCE_TYPE)
    .map((resource): PlannedEndpoint => {
      const { values, unknown, ...common } = base(resource);
      const option = (name: string) => ['connection_log_options', 0, name];
      const read = <T>(name: string, isType: (v: unknown) => v is T) =>
        planValue(values, unknown, option(name), isType, where(resource));
      return {
        ...common,
        enabled: read('enabled', isBoolean),
        logGroup: read('cloudwatch_log_group', isString),
        logStream: read('cloudwatch_log_stream', isString),
      };
    });
  const logGroups = managed
    .filter((resource) => resource.type === LOG_GROUP_RESOURCE_TYPE)
    .map((resource): PlannedLogGroup => {
      const { values, unknown, ...common } = base(resource);
      const read = <T>(name: string, isType: (v: unknown) => v is T) =>
        planValue(values, unknown, [name], isType, where(resource));
      return {
        ...common,
        groupName: read('name', isString),
        namePrefix: read('name_prefix', isString),
        retentionInDays: read('retention_in_days', isRetentionDays),
        kmsKeyId: read('kms_key_id', isString),
      };
    });
  return {
    input,
    endpoints,
    logGroups,
    deleted: deletedResources(changes),
    configuration: body.configuration,
  };
}

// "delete" alone (not a replacement, which also creates) removes the object; a deposed object is the
// old half of a replacement, whose current object stays in planned_values.
function deletedResources(changes: readonly ResourceChange[]): DeletedResource[] {
  return changes
    .filter(
      (change) =>
        change.deposed === undefined &&
        change.change.actions.includes('delete') &&
        !change.change.actions.includes('create') &&
        (change.type === ENDPOINT_RESOURCE_TYPE || change.type === LOG_GROUP_RESOURCE_TYPE) &&
        (change.mode === undefined || change.mode === 'managed'),
    )
    .map((change) => {
      const name = at(change.change.before, ['name']);
      return {
        address: change.address,
        type: change.type as string,
        ...(change.type === LOG_GROUP_RESOURCE_TYPE && isString(name) ? { logGroupName: name } : {}),
      };
    });
}
