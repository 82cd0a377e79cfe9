/**
 * AWS's own service models, as botocore ships them with this machine's Python
 * (`botocore/data/<service>/<version>/service-2.json[.gz]`), read to check runbook inputs against the
 * operations' input shapes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** One shape of a service model, as far as input checks read it. */
export interface ServiceShape {
  /** `structure`, `list`, `map`, `string`, `boolean`, `integer`, ... */
  readonly type: string;
  /** A structure's members, each naming its shape. */
  readonly members?: Readonly<Record<string, { readonly shape: string }>>;
  /** A list's member shape. */
  readonly member?: { readonly shape: string };
}

/** The part of a service model that input checks read. */
export interface ServiceModel {
  /** Operations by API name. */
  readonly operations: Readonly<Record<string, { readonly input?: { readonly shape: string } }>>;
  /** Shapes by name. */
  readonly shapes: Readonly<Record<string, ServiceShape>>;
}

let botocoreData: string | undefined;
const models = new Map<string, ServiceModel | undefined>();

function dataDirectory(): string {
  botocoreData ??= join(
    execFileSync('python3', ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'], {
      encoding: 'utf8',
    }).trim(),
    'data',
  );
  return botocoreData;
}

/**
 * The newest model botocore has for a service.
 *
 * @param service - the boto3 / SSM service name, such as `ec2` or `logs`
 * @returns the model, or undefined when botocore knows no such service
 */
export function serviceModel(service: string): ServiceModel | undefined {
  if (models.has(service)) return models.get(service);
  const directory = join(dataDirectory(), service);
  let model: ServiceModel | undefined;
  if (/^[a-z0-9-]+$/.test(service) && existsSync(directory)) {
    const version = readdirSync(directory)
      .filter((entry) => /^\d{4}-\d{2}-\d{2}$/.test(entry))
      .sort()
      .at(-1);
    if (version !== undefined) {
      const plain = join(directory, version, 'service-2.json');
      const text = existsSync(plain)
        ? readFileSync(plain, 'utf8')
        : gunzipSync(readFileSync(`${plain}.gz`)).toString('utf8');
      model = JSON.parse(text) as ServiceModel;
    }
  }
  models.set(service, model);
  return model;
}

/**
 * Every input member path that the operation's input shape does not have, walking nested structures and
 * lists.
 *
 * @param service - the service name
 * @param api - the operation name, such as `DescribeLogGroups`
 * @param input - the request, as a step gives it
 * @returns a sentence per problem; empty when every member exists
 */
export function inputShapeProblems(
  service: string,
  api: string,
  input: Readonly<Record<string, unknown>>,
): string[] {
  const model = serviceModel(service);
  if (model === undefined) return [`botocore has no service model for "${service}"`];
  const operation = model.operations[api];
  if (operation === undefined) return [`the ${service} model has no operation ${api}`];
  const problems: string[] = [];
  const walk = (value: unknown, shapeName: string | undefined, path: string): void => {
    const shape = shapeName === undefined ? undefined : model.shapes[shapeName];
    if (shape === undefined) {
      problems.push(`${path} has no shape in the ${service} model`);
      return;
    }
    if (shape.type === 'structure' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) {
        const member = shape.members?.[key];
        if (member === undefined) {
          problems.push(`${path}.${key} is not a member of ${shapeName} (${service}:${api})`);
        } else {
          walk(inner, member.shape, `${path}.${key}`);
        }
      }
    } else if (shape.type === 'list' && Array.isArray(value)) {
      value.forEach((item, index) => walk(item, shape.member?.shape, `${path}[${index}]`));
    }
  };
  walk(input, operation.input?.shape, api);
  return problems;
}
