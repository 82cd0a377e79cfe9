/**
 * A loopback HTTP server that speaks, for exactly the operations this project calls, the wire
 * protocols the real services speak: EC2 and STS query protocol with XML replies, CloudWatch Logs,
 * Config, SSM and KMS JSON 1.1. Operations added for the key and delivery checks and the drift trigger
 * refuse input members their service model does not define, as the services do. The real SDK clients are pointed at it with `AWS_ENDPOINT_URL`, so field
 * names, casing, pagination and error codes are exercised end to end, which client mocks cannot do.
 *
 * The region of each call is read from the SigV4 credential scope of its `Authorization` header, so
 * one server can stand for several regions; the access key ID in that scope tells the account, so
 * with an organization in the world, session credentials from `AssumeRole` reach the assumed
 * account's regions and no other. Organizations (JSON 1.1) answers `ListAccounts`,
 * `ListAccountsForParent` and `ListOrganizationalUnitsForParent` from the world's organization.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ORGANIZATION_PARENT_ID_PATTERN, ROLE_ARN_PATTERN } from '../rule/aws-name-patterns';
import { parseArn } from '../rule/parse-arn';
import { logsInsightsOperations } from './loopback-logs-insights';
import {
  LOOPBACK_ACCOUNT_ID,
  type LoopbackService,
  type LoopbackWorld,
  type WorldAccount,
  type WorldEndpoint,
  type WorldKey,
  type WorldLogGroup,
  type WorldLogStream,
  type WorldRegion,
  worldRegion,
} from './loopback-world';

/** Options of {@link startLoopbackServer}. */
export interface LoopbackServerOptions {
  /** The world the server answers from; calls that change it (puts, automations) change this object. */
  readonly world: LoopbackWorld;
  /**
   * Milliseconds every reply waits before it is sent, standing for the network and service time.
   * @default 0
   */
  readonly latencyMs?: number;
  /**
   * Per operation name, how many of its first calls are answered with the service's throttling
   * error (`RequestLimitExceeded` from EC2, `ThrottlingException` from the JSON services, `Throttling` from STS).
   * @default {}
   */
  readonly throttle?: Readonly<Record<string, number>>;
  /**
   * The page size of `DescribeClientVpnEndpoints` when the caller sends no `MaxResults`.
   * @default 50
   */
  readonly defaultEndpointPageSize?: number;
  /**
   * How many `GetQueryResults` calls of each Logs Insights query answer `Running` before `Complete`.
   * @default 1
   */
  readonly insightsRunningPolls?: number;
  /**
   * Calls that are accepted and never answered: the connection stays open until the client gives up
   * or the server closes, as an endpoint that hangs would behave.
   * @default none
   */
  readonly hang?: readonly LoopbackCallMatch[];
  /**
   * Paginated calls whose every page carries the same next-page token, so a client that follows it
   * never reaches the end, as a broken service would answer.
   * @default none
   */
  readonly repeatPageToken?: readonly LoopbackCallMatch[];
}

/** Which calls a fault applies to: an operation, optionally only for one account and region. */
export interface LoopbackCallMatch {
  /** The operation, e.g. `DescribeClientVpnEndpoints`. */
  readonly operation: string;
  /**
   * Only calls signed with this account's credentials.
   * @default every account
   */
  readonly accountId?: string;
  /**
   * Only calls signed for this region.
   * @default every region
   */
  readonly region?: string;
}

/** The token every page of a `repeatPageToken` call carries. */
export const REPEATED_PAGE_TOKEN = Buffer.from(JSON.stringify({ offset: 0 }), 'utf8').toString('base64');

function matches(
  faults: readonly LoopbackCallMatch[] | undefined,
  call: { operation: string; accountId: string; region: string },
): boolean {
  return (faults ?? []).some(
    (f) =>
      f.operation === call.operation &&
      (f.accountId === undefined || f.accountId === call.accountId) &&
      (f.region === undefined || f.region === call.region),
  );
}

/** Puts the repeated token in a reply as its service names the next-page token. */
function withRepeatedToken(service: LoopbackService, result: string | Params): string | Params {
  if (typeof result === 'string') {
    return `${result.replace(/<nextToken>[^<]*<\/nextToken>/, '')}<nextToken>${REPEATED_PAGE_TOKEN}</nextToken>`;
  }
  return { ...result, [service === 'logs' ? 'nextToken' : 'NextToken']: REPEATED_PAGE_TOKEN };
}

/** One call the server answered, for tests and the benchmark to count. */
export interface LoopbackCall {
  /** The SigV4 signing name of the service. */
  readonly service: LoopbackService;
  /** The operation, e.g. `DescribeClientVpnEndpoints`. */
  readonly operation: string;
  /** The region the call was signed for. */
  readonly region: string;
  /** The account whose credentials signed the call. */
  readonly accountId: string;
  /** The request parameters: the form fields (query protocol) or the parsed JSON body. */
  readonly params: Readonly<Record<string, unknown>>;
  /** The error code the call was answered with, when it failed. */
  readonly errorCode?: string;
  /** The access key ID the call was signed with (SigV4 `Credential=`), so tests see whose credentials made it. */
  readonly accessKeyId?: string;
  /** The call was accepted and never answered (`hang`). */
  readonly hung?: boolean;
}

/** A running loopback server. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL`. */
  readonly url: string;
  /** The world it answers from. */
  readonly world: LoopbackWorld;
  /** Every call answered, in arrival order. */
  readonly calls: LoopbackCall[];
  /** Milliseconds each reply waits; may be changed between calls. */
  latencyMs: number;
  /** The most requests the server held open at once since it started. */
  readonly peakInFlight: number;
  /** The successful calls of `operation`, or all its calls when `includeFailed`. */
  callsOf(operation: string, includeFailed?: boolean): LoopbackCall[];
  /** Forgets the call log. */
  resetCalls(): void;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** An error the server answers with, in the protocol of the service called. */
class LoopbackApiError extends Error {
  public override readonly name = 'LoopbackApiError';

  public constructor(
    public readonly code: string,
    message: string,
    public readonly status = 400,
  ) {
    super(message);
  }
}

const EC2_NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const CLIENT_VPN_RESOURCE_TYPE = 'AWS::EC2::ClientVpnEndpoint';
const JSON_TARGET_PREFIXES: Readonly<Record<string, LoopbackService>> = {
  Logs_20140328: 'logs',
  StarlingDoveService: 'config',
  AmazonSSM: 'ssm',
  AWSOrganizationsV20161128: 'organizations',
  TrentService: 'kms',
};
const THROTTLING: Readonly<Record<LoopbackService, { code: string; status: number }>> = {
  ec2: { code: 'RequestLimitExceeded', status: 503 },
  sts: { code: 'Throttling', status: 400 },
  logs: { code: 'ThrottlingException', status: 400 },
  config: { code: 'ThrottlingException', status: 400 },
  ssm: { code: 'ThrottlingException', status: 400 },
  organizations: { code: 'TooManyRequestsException', status: 400 },
  kms: { code: 'ThrottlingException', status: 400 },
};

type Params = Record<string, unknown>;
/** Who signed a call: the account, and the access key ID it signed with. */
interface Caller {
  readonly accountId: string;
  readonly accessKeyId: string;
  /** The caller's account's regions. */
  readonly regions: Record<string, WorldRegion>;
}
type Operation = (
  region: string,
  regionWorld: WorldRegion,
  params: Params,
  caller: Caller,
) => string | Params;

/** The operations the server answers, by service, each answering from the world. */
function loopbackOperations(
  world: LoopbackWorld,
  sessions: Map<string, string>,
  options: LoopbackServerOptions,
): Readonly<Record<LoopbackService, Readonly<Record<string, Operation>>>> {
  const pageSize = options.defaultEndpointPageSize ?? 50;
  return {
    ec2: {
      DescribeClientVpnEndpoints: (region, rw, p) => describeClientVpnEndpoints(region, rw, p, pageSize),
      DescribeRegions: (_region, _rw, p, caller) => describeRegions(caller.regions, p),
      DescribeClientVpnConnections: (_region, rw, p) => describeClientVpnConnections(rw, p),
    },
    sts: {
      AssumeRole: (_region, _rw, p, caller) => assumeRole(world, sessions, p, caller),
      GetCallerIdentity: (_region, _rw, _p, caller) => getCallerIdentity(caller),
    },
    organizations: {
      ListAccounts: (_region, _rw, p, caller) => listAccounts(world, p, caller, undefined),
      ListAccountsForParent: (_region, _rw, p, caller) =>
        listAccounts(world, p, caller, requireParent(world, p)),
      ListOrganizationalUnitsForParent: (_region, _rw, p, caller) =>
        listOrganizationalUnits(world, p, caller, requireParent(world, p)),
    },
    logs: {
      DescribeLogGroups: (region, rw, p) => describeLogGroups(region, rw, p),
      DescribeLogStreams: (region, rw, p) => describeLogStreams(region, rw, p),
      // StartQuery, GetQueryResults and StopQuery: loopback-logs-insights.ts.
      ...logsInsightsOperations((code, message) => new LoopbackApiError(code, message), {
        ...(options.insightsRunningPolls === undefined ? {} : { runningPolls: options.insightsRunningPolls }),
      }),
    },
    config: {
      PutEvaluations: (region, rw, p) => putEvaluations(world, region, rw, p),
      GetComplianceDetailsByConfigRule: (_region, rw, p) => getComplianceDetailsByConfigRule(rw, p),
      GetResourceConfigHistory: (_region, rw, p) => getResourceConfigHistory(rw, p),
      StartConfigRulesEvaluation: (region, rw, p) => startConfigRulesEvaluation(world, region, rw, p),
      DescribeConfigRules: (region, rw, p) => describeConfigRules(region, rw, p),
    },
    ssm: {
      DescribeDocument: (_region, rw, p) => describeDocument(rw, p),
      StartAutomationExecution: (region, rw, p) => startAutomationExecution(world, region, rw, p),
    },
    kms: {
      DescribeKey: (region, rw, p) => describeKey(region, rw, p),
    },
  };
}

/** A request as the server reads it: whether it is signed, who signed it, and the call it makes. */
interface ReadCall {
  readonly signed: boolean;
  readonly caller: Caller;
  readonly call: LoopbackCall & { readonly params: Params };
}

/**
 * Reads who signed a request (SigV4's credential scope: access key ID, region, service) and the call it
 * makes: a JSON protocol call names its operation in `X-Amz-Target`, a query protocol call in `Action`.
 */
async function readCall(
  request: IncomingMessage,
  world: LoopbackWorld,
  sessions: ReadonlyMap<string, string>,
): Promise<ReadCall> {
  const body = await readBody(request);
  const target = header(request, 'x-amz-target');
  const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(
    header(request, 'authorization') ?? '',
  );
  const region = scope?.[2] ?? 'unsigned';
  const accessKeyId = scope?.[1] ?? '';
  const accountId = sessions.get(accessKeyId) ?? LOOPBACK_ACCOUNT_ID;
  const caller: Caller = {
    accountId,
    accessKeyId,
    regions:
      accountId === LOOPBACK_ACCOUNT_ID
        ? world.regions
        : (world.organization?.accounts.find((a) => a.id === accountId)?.regions ?? {}),
  };
  let service: LoopbackService;
  let operation: string;
  let params: Params;
  if (target !== undefined) {
    const [prefix = '', name = ''] = target.split('.');
    service = JSON_TARGET_PREFIXES[prefix] ?? 'config';
    operation = name;
    params = body.length === 0 ? {} : (JSON.parse(body) as Params);
  } else {
    const form = Object.fromEntries(new URLSearchParams(body));
    service = scope?.[3] === 'sts' ? 'sts' : 'ec2';
    operation = form.Action ?? '';
    params = form;
  }
  const call = { service, operation, region, accountId: caller.accountId, accessKeyId, params };
  return { signed: scope !== null, caller, call };
}

/**
 * The region of the caller's world that answers a call, or the error AWS gives for a region the caller's
 * account does not have (or has not opted in to), or the failure the world sets for the service there.
 */
function answeringRegion(caller: Caller, service: LoopbackService, region: string): WorldRegion {
  const accountRegions = caller.regions;
  // Organizations is a global service: its calls are not answered by a region of the world.
  const regionWorld = service === 'organizations' ? GLOBAL_REGION : accountRegions[region];
  if (regionWorld === undefined || regionWorld.optInStatus === 'not-opted-in') {
    throw service === 'ec2'
      ? new LoopbackApiError(
          'AuthFailure',
          'AWS was not able to validate the provided access credentials',
          401,
        )
      : new LoopbackApiError(
          'UnrecognizedClientException',
          'The security token included in the request is invalid.',
        );
  }
  const failure = regionWorld.failures[service];
  if (failure !== undefined) throw new LoopbackApiError(failure.code, failure.message, failure.status ?? 400);
  return regionWorld;
}

/**
 * Starts a loopback server on 127.0.0.1 and an ephemeral port.
 *
 * @param options - the world, latency and throttling to answer with
 * @returns the running server; `close()` it when done
 */
export async function startLoopbackServer(options: LoopbackServerOptions): Promise<LoopbackServer> {
  const world = options.world;
  const calls: LoopbackCall[] = [];
  const throttleLeft = new Map(Object.entries(options.throttle ?? {}));
  const state = { latencyMs: options.latencyMs ?? 0, inFlight: 0, peakInFlight: 0 };
  // Session credentials AssumeRole issued, by access key ID, to the account they reach.
  const sessions = new Map<string, string>();

  const operations = loopbackOperations(world, sessions, options);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { signed, caller, call } = await readCall(request, world, sessions);
    const { service, operation, region, params } = call;
    if (matches(options.hang, call)) {
      // Accepted, read, and never answered: the socket stays open until the client or close() ends it.
      calls.push({ ...call, hung: true });
      return new Promise<void>((resolve) => response.once('close', resolve));
    }
    await sleep(state.latencyMs);
    try {
      if (!signed)
        throw new LoopbackApiError(
          'MissingAuthenticationToken',
          'Request is missing Authentication Token',
          403,
        );
      const regionWorld = answeringRegion(caller, service, region);
      const left = throttleLeft.get(operation) ?? 0;
      if (left > 0) {
        throttleLeft.set(operation, left - 1);
        const throttling = THROTTLING[service];
        throw new LoopbackApiError(throttling.code, 'Rate exceeded', throttling.status);
      }
      const run = operations[service][operation];
      if (run === undefined) {
        throw new LoopbackApiError(
          service === 'ec2' ? 'InvalidAction' : 'UnknownOperationException',
          `The loopback server does not speak ${service}:${operation}`,
        );
      }
      const result = run(region, regionWorld, params, caller);
      calls.push(call);
      reply(
        response,
        service,
        operation,
        matches(options.repeatPageToken, call) ? withRepeatedToken(service, result) : result,
      );
    } catch (error) {
      if (!(error instanceof LoopbackApiError)) throw error;
      calls.push({ ...call, errorCode: error.code });
      replyError(response, service, error);
    }
  }

  const server: Server = createServer((request, response) => {
    state.peakInFlight = Math.max(state.peakInFlight, ++state.inFlight);
    handle(request, response)
      .catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(String(error));
      })
      .finally(() => state.inFlight--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    world,
    calls,
    get latencyMs() {
      return state.latencyMs;
    },
    set latencyMs(value: number) {
      state.latencyMs = value;
    },
    get peakInFlight() {
      return state.peakInFlight;
    },
    callsOf: (operation, includeFailed = false) =>
      calls.filter(
        (c) => c.operation === operation && (includeFailed || (c.errorCode === undefined && c.hung !== true)),
      ),
    resetCalls: () => {
      calls.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

// ---------------------------------------------------------------- plumbing

// What Organizations calls are answered "in": a region with nothing in it and no failures.
const GLOBAL_REGION: WorldRegion = worldRegion();

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

function reply(
  response: ServerResponse,
  service: LoopbackService,
  operation: string,
  result: string | Params,
): void {
  const requestId = randomUUID();
  if (typeof result === 'string') {
    const namespace = service === 'sts' ? STS_NAMESPACE : EC2_NAMESPACE;
    const metadata =
      service === 'sts'
        ? `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>`
        : `<requestId>${requestId}</requestId>`;
    const inner = service === 'sts' ? `<${operation}Result>${result}</${operation}Result>` : result;
    response.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId });
    response.end(`<?xml version="1.0" encoding="UTF-8"?>
<${operation}Response xmlns="${namespace}">${metadata}${inner}</${operation}Response>`);
    return;
  }
  response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId });
  response.end(JSON.stringify(result));
}

function replyError(response: ServerResponse, service: LoopbackService, error: LoopbackApiError): void {
  const requestId = randomUUID();
  if (service === 'ec2') {
    response.writeHead(error.status, { 'content-type': 'text/xml;charset=UTF-8' });
    response.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${xml(error.code)}</Code><Message>${xml(error.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
    );
  } else if (service === 'sts') {
    response.writeHead(error.status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
    response.end(
      `<ErrorResponse xmlns="${STS_NAMESPACE}"><Error><Type>Sender</Type><Code>${xml(error.code)}</Code><Message>${xml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    );
  } else {
    response.writeHead(error.status, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': error.code,
    });
    response.end(JSON.stringify({ __type: error.code, message: error.message }));
  }
}

function xml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function element(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${xml(String(value))}</${name}>`;
}

/** The values of a query-protocol list (`Name.1`, `Name.2`, ...), in order. */
function queryList(params: Params, name: string): string[] {
  return Object.entries(params)
    .map(
      ([key, value]) => [new RegExp(`^${name.replace('.', '\\.')}\\.(\\d+)$`).exec(key)?.[1], value] as const,
    )
    .filter((entry): entry is readonly [string, string] => entry[0] !== undefined)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, value]) => value);
}

/** The query-protocol filters (`Filter.N.Name`, `Filter.N.Value.M`) as name to values. */
function queryFilters(params: Params): Map<string, string[]> {
  const filters = new Map<string, string[]>();
  for (const [key, value] of Object.entries(params)) {
    const match = /^Filter\.(\d+)\.Name$/.exec(key);
    if (match !== null) filters.set(String(value), queryList(params, `Filter.${match[1]}.Value`));
  }
  return filters;
}

function pageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64');
}

function pageOffset(token: unknown, code: string): number {
  if (token === undefined || token === null || token === '') return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(String(token), 'base64').toString('utf8')) as {
      offset: unknown;
    };
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through to the service's own error
  }
  throw new LoopbackApiError(code, `Invalid pagination token ${String(token)}`);
}

function requireString(params: Params, name: string, code = 'ValidationException'): string {
  const value = params[name];
  if (typeof value !== 'string' || value === '') {
    throw new LoopbackApiError(
      code,
      `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

/**
 * Refuses input members the operation's model does not define: the query protocol answers
 * `UnknownParameter`, the JSON services `SerializationException`.
 */
function refuseUnknownMembers(service: LoopbackService, p: Params, members: readonly string[]): void {
  for (const key of Object.keys(p)) {
    const member = service === 'ec2' ? key.split('.')[0] : key;
    if (
      service === 'ec2' ? ['Action', 'Version', ...members].includes(member as string) : members.includes(key)
    )
      continue;
    throw service === 'ec2'
      ? new LoopbackApiError('UnknownParameter', `The parameter ${key} is not recognized`)
      : new LoopbackApiError('SerializationException', `Unrecognized field "${key}"`);
  }
}

// ---------------------------------------------------------------- EC2 (query protocol, XML)

function describeClientVpnConnections(rw: WorldRegion, p: Params): string {
  refuseUnknownMembers('ec2', p, ['ClientVpnEndpointId', 'Filter', 'NextToken', 'MaxResults', 'DryRun']);
  const endpointId = requireString(p, 'ClientVpnEndpointId', 'MissingParameter');
  const endpoint = rw.endpoints.find((e) => e.endpointId === endpointId);
  if (endpoint === undefined) {
    throw new LoopbackApiError(
      'InvalidClientVpnEndpointId.NotFound',
      `The Client VPN endpoint ID '${endpointId}' does not exist`,
    );
  }
  let limit = 1000;
  if (p.MaxResults !== undefined) {
    limit = Number(p.MaxResults);
    if (!Number.isInteger(limit) || limit < 5 || limit > 1000) {
      throw new LoopbackApiError(
        'InvalidParameterValue',
        `Value (${String(p.MaxResults)}) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`,
      );
    }
  }
  const connections = endpoint.connections ?? [];
  const offset = pageOffset(p.NextToken, 'InvalidPaginationToken');
  const page = connections.slice(offset, offset + limit);
  const next = offset + limit < connections.length ? pageToken(offset + limit) : undefined;
  const items = page.map(
    (c) =>
      '<item>' +
      element('clientVpnEndpointId', endpointId) +
      element('timestamp', c.establishedTime) +
      element('connectionId', c.connectionId) +
      element('connectionEstablishedTime', c.establishedTime) +
      element('ingressBytes', '32302') +
      element('egressBytes', '3808') +
      element('ingressPackets', '442') +
      element('egressPackets', '44') +
      element('clientIp', '172.31.0.225') +
      element('commonName', 'client1.domain.tld') +
      `<status>${element('code', c.status ?? 'active')}</status>` +
      '<postureComplianceStatusSet/>' +
      '</item>',
  );
  return `<connections>${items.join('')}</connections>${element('nextToken', next)}`;
}

function describeClientVpnEndpoints(
  region: string,
  rw: WorldRegion,
  p: Params,
  defaultPageSize: number,
): string {
  const ids = queryList(p, 'ClientVpnEndpointId');
  const filterIds = queryFilters(p).get('endpoint-id');
  let selected = rw.endpoints;
  if (ids.length > 0) {
    const missing = ids.find((id) => !rw.endpoints.some((e) => e.endpointId === id));
    if (missing !== undefined) {
      throw new LoopbackApiError('InvalidClientVpnEndpointId.NotFound', `Endpoint ${missing} does not exist`);
    }
    selected = selected.filter((e) => ids.includes(e.endpointId));
  }
  if (filterIds !== undefined) selected = selected.filter((e) => filterIds.includes(e.endpointId));
  let limit = defaultPageSize;
  if (p.MaxResults !== undefined) {
    limit = Number(p.MaxResults);
    if (!Number.isInteger(limit) || limit < 5 || limit > 1000) {
      throw new LoopbackApiError(
        'InvalidParameterValue',
        `Value (${String(p.MaxResults)}) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`,
      );
    }
  }
  const offset = pageOffset(p.NextToken, 'InvalidPaginationToken');
  const page = selected.slice(offset, offset + limit);
  const next = offset + limit < selected.length ? pageToken(offset + limit) : undefined;
  return `<clientVpnEndpoint>${page.map((e) => endpointXml(region, e)).join('')}</clientVpnEndpoint>${element('nextToken', next)}`;
}

function endpointXml(region: string, e: WorldEndpoint): string {
  const logOptions =
    element('Enabled', e.enabled) +
    element('CloudwatchLogGroup', e.logGroup) +
    element('CloudwatchLogStream', e.logStream);
  return (
    '<item>' +
    element('clientVpnEndpointId', e.endpointId) +
    element('description', 'Remote access') +
    `<status>${element('code', e.status)}</status>` +
    element('creationTime', '2026-01-15T09:30:00') +
    element('dnsName', `*.${e.endpointId}.prod.clientvpn.${region}.amazonaws.com`) +
    element('clientCidrBlock', '10.100.0.0/22') +
    '<dnsServer/>' +
    element('splitTunnel', true) +
    element('vpnProtocol', 'openvpn') +
    element('transportProtocol', 'udp') +
    element('vpnPort', 443) +
    element(
      'serverCertificateArn',
      `arn:aws:acm:${region}:${LOOPBACK_ACCOUNT_ID}:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789`,
    ) +
    '<authenticationOptions><item><type>certificate-authentication</type><mutualAuthentication><clientRootCertificateChain>' +
    `arn:aws:acm:${region}:${LOOPBACK_ACCOUNT_ID}:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789` +
    '</clientRootCertificateChain></mutualAuthentication></item></authenticationOptions>' +
    `<connectionLogOptions>${logOptions}</connectionLogOptions>` +
    '<tagSet/>' +
    '<securityGroupIdSet><item>sg-0123456789abcdef0</item></securityGroupIdSet>' +
    element('vpcId', 'vpc-0123456789abcdef0') +
    element('selfServicePortalUrl', '') +
    `<clientConnectOptions>${element('enabled', false)}<status>${element('code', 'applied')}</status></clientConnectOptions>` +
    element('sessionTimeoutHours', 24) +
    '</item>'
  );
}

function describeRegions(accountRegions: Record<string, WorldRegion>, p: Params): string {
  const all = p.AllRegions === 'true';
  const names = queryList(p, 'RegionName');
  const regions = Object.entries(accountRegions)
    .filter(([, r]) => all || r.optInStatus !== 'not-opted-in')
    .filter(([name]) => names.length === 0 || names.includes(name))
    .map(
      ([name, r]) =>
        '<item>' +
        element('regionName', name) +
        element('regionEndpoint', `ec2.${name}.amazonaws.com`) +
        element('optInStatus', r.optInStatus ?? 'opt-in-not-required') +
        '</item>',
    );
  return `<regionInfo>${regions.join('')}</regionInfo>`;
}

// ---------------------------------------------------------------- STS (query protocol, XML)

// As IAM's RoleArn (rule/aws-name-patterns.ts) and STS's RoleSessionName constraints (botocore sts
// model: roleSessionNameType).
const ROLE_SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

function assumeRole(world: LoopbackWorld, sessions: Map<string, string>, p: Params, caller: Caller): string {
  const roleArn = requireString(p, 'RoleArn', 'ValidationError');
  const session = requireString(p, 'RoleSessionName', 'ValidationError');
  // The constraints of STS's service model (arnType, roleSessionNameType), which STS enforces.
  if (roleArn.length < 20 || roleArn.length > 2048) {
    throw new LoopbackApiError(
      'ValidationError',
      `1 validation error detected: Value '${roleArn}' at 'roleArn' failed to satisfy constraint: Member must have length between 20 and 2048`,
    );
  }
  if (!ROLE_SESSION_NAME.test(session)) {
    throw new LoopbackApiError(
      'ValidationError',
      `1 validation error detected: Value '${session}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  }
  const arn = ROLE_ARN_PATTERN.test(roleArn) ? parseArn(roleArn) : undefined;
  if (arn === undefined) throw new LoopbackApiError('ValidationError', `${roleArn} is invalid`);
  // role/[path/]NAME: the role's name is the resource's last segment.
  const roleName = arn.resource.slice(arn.resource.lastIndexOf('/') + 1);
  let accessKeyId = 'ASIAIOSFODNN7EXAMPLE';
  if (world.organization !== undefined) {
    // With an organization, only a role that exists in its account may be assumed; AWS answers a
    // missing role and a role that does not trust the caller alike.
    const account: WorldAccount | undefined = world.organization.accounts.find((a) => a.id === arn.accountId);
    if (account === undefined || !account.roles.includes(roleName)) {
      throw new LoopbackApiError(
        'AccessDenied',
        `User: ${callerArn(caller)} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
        403,
      );
    }
    accessKeyId = `ASIA${String(sessions.size + 1).padStart(16, '0')}`;
    sessions.set(accessKeyId, account.id);
  }
  const expiration = new Date(Date.now() + 3600_000).toISOString();
  return (
    '<Credentials>' +
    element('AccessKeyId', accessKeyId) +
    element('SecretAccessKey', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY') +
    element('SessionToken', 'FwoGZXIvYXdzEXAMPLETOKEN') +
    element('Expiration', expiration) +
    '</Credentials>' +
    `<AssumedRoleUser>${element('Arn', `${roleArn.replace(':iam:', ':sts:').replace(':role/', ':assumed-role/')}/${session}`)}${element('AssumedRoleId', `AROA3XFRBF535EXAMPLE:${session}`)}</AssumedRoleUser>`
  );
}

function callerArn(caller: Caller): string {
  return caller.accessKeyId.startsWith('ASIA')
    ? `arn:aws:sts::${caller.accountId}:assumed-role/loopback/session`
    : `arn:aws:iam::${caller.accountId}:user/auditor`;
}

function getCallerIdentity(caller: Caller): string {
  return (
    element('Arn', callerArn(caller)) +
    element(
      'UserId',
      caller.accessKeyId.startsWith('ASIA') ? 'AROA3XFRBF535EXAMPLE:session' : 'AIDAEXAMPLE',
    ) +
    element('Account', caller.accountId)
  );
}

// ---------------------------------------------------------------- Organizations (JSON 1.1)

function organizationFor(world: LoopbackWorld, caller: Caller) {
  const organization = world.organization;
  if (organization === undefined) {
    throw new LoopbackApiError(
      'AWSOrganizationsNotInUseException',
      'Your account is not a member of an organization.',
    );
  }
  if (!organization.administratorAccountIds.includes(caller.accountId)) {
    throw new LoopbackApiError(
      'AccessDeniedException',
      'You don\u2019t have permissions to access this resource. Only the management account or a delegated administrator may call this operation.',
    );
  }
  return organization;
}

function requireParent(world: LoopbackWorld, p: Params): string {
  const parentId = requireString(p, 'ParentId', 'InvalidInputException');
  if (!ORGANIZATION_PARENT_ID_PATTERN.test(parentId)) {
    throw new LoopbackApiError(
      'InvalidInputException',
      `You provided a value that does not match the required pattern: ParentId ${parentId}`,
    );
  }
  const organization = world.organization;
  if (
    organization !== undefined &&
    parentId !== organization.rootId &&
    !organization.organizationalUnits.some((ou) => ou.id === parentId)
  ) {
    throw new LoopbackApiError(
      'ParentNotFoundException',
      'We can\u2019t find a root or OU with the ParentId that you specified.',
    );
  }
  return parentId;
}

/** Organizations pages hold at most MaxResults (1 to 20); without it, the loopback pages by 10. */
function organizationsPage<T>(items: readonly T[], p: Params): { page: T[]; nextToken?: string } {
  const limit = p.MaxResults === undefined ? 10 : Number(p.MaxResults);
  if (!Number.isInteger(limit) || limit < 1 || limit > 20) {
    throw new LoopbackApiError(
      'InvalidInputException',
      `You provided a value that does not match the required pattern or is outside the allowed range: MaxResults ${String(p.MaxResults)}`,
    );
  }
  const offset = pageOffset(p.NextToken, 'InvalidInputException');
  return {
    page: items.slice(offset, offset + limit),
    ...(offset + limit < items.length ? { nextToken: pageToken(offset + limit) } : {}),
  };
}

function listAccounts(world: LoopbackWorld, p: Params, caller: Caller, parentId: string | undefined): Params {
  const organization = organizationFor(world, caller);
  const accounts = organization.accounts.filter((a) => parentId === undefined || a.parentId === parentId);
  const { page, nextToken } = organizationsPage(accounts, p);
  return {
    Accounts: page.map((a) => ({
      Id: a.id,
      Arn: `arn:aws:organizations::${LOOPBACK_ACCOUNT_ID}:account/o-a1b2c3d4e5/${a.id}`,
      Email: `${a.name}@example.com`,
      Name: a.name,
      State: a.state,
      JoinedMethod: a.id === LOOPBACK_ACCOUNT_ID ? 'CREATED' : 'INVITED',
      JoinedTimestamp: 1768469400,
    })),
    ...(nextToken === undefined ? {} : { NextToken: nextToken }),
  };
}

function listOrganizationalUnits(world: LoopbackWorld, p: Params, caller: Caller, parentId: string): Params {
  const organization = organizationFor(world, caller);
  const { page, nextToken } = organizationsPage(
    organization.organizationalUnits.filter((ou) => ou.parentId === parentId),
    p,
  );
  return {
    OrganizationalUnits: page.map((ou) => ({
      Id: ou.id,
      Arn: `arn:aws:organizations::${LOOPBACK_ACCOUNT_ID}:ou/o-a1b2c3d4e5/${ou.id}`,
      Name: ou.name,
    })),
    ...(nextToken === undefined ? {} : { NextToken: nextToken }),
  };
}

// ---------------------------------------------------------------- CloudWatch Logs (JSON 1.1)

function describeLogGroups(region: string, rw: WorldRegion, p: Params): Params {
  const identifiers = p.logGroupIdentifiers as string[] | undefined;
  const prefix = p.logGroupNamePrefix as string | undefined;
  if (identifiers !== undefined && prefix !== undefined) {
    throw new LoopbackApiError(
      'InvalidParameterException',
      'LogGroupIdentifiers and LogGroupNamePrefix are mutually exclusive',
    );
  }
  if (identifiers !== undefined && (identifiers.length < 1 || identifiers.length > 50)) {
    throw new LoopbackApiError(
      'ValidationException',
      `1 validation error detected: Value at 'logGroupIdentifiers' failed to satisfy constraint: Member must have length less than or equal to 50`,
    );
  }
  const limit = p.limit === undefined ? 50 : Number(p.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) {
    throw new LoopbackApiError(
      'InvalidParameterException',
      `limit must be between 1 and 50, got ${String(p.limit)}`,
    );
  }
  const arnPrefix = `arn:aws:logs:${region}:${LOOPBACK_ACCOUNT_ID}:log-group:`;
  const names = identifiers?.map((id) =>
    id.startsWith(arnPrefix) ? id.slice(arnPrefix.length).replace(/:\*$/, '') : id,
  );
  const matching = [...rw.logGroups]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .filter(
      (g) =>
        (names === undefined || names.includes(g.name)) &&
        (prefix === undefined || g.name.startsWith(prefix)),
    );
  const offset = pageOffset(p.nextToken, 'InvalidParameterException');
  const page = matching.slice(offset, offset + limit);
  return {
    logGroups: page.map((g) => logGroupJson(arnPrefix, g)),
    ...(offset + limit < matching.length ? { nextToken: pageToken(offset + limit) } : {}),
  };
}

function describeLogStreams(region: string, rw: WorldRegion, p: Params): Params {
  refuseUnknownMembers('logs', p, [
    'logGroupName',
    'logGroupIdentifier',
    'logStreamNamePrefix',
    'orderBy',
    'descending',
    'nextToken',
    'limit',
  ]);
  const name = (p.logGroupName ?? p.logGroupIdentifier) as string | undefined;
  if ((p.logGroupName === undefined) === (p.logGroupIdentifier === undefined)) {
    throw new LoopbackApiError(
      'InvalidParameterException',
      'You must specify either logGroupIdentifier or logGroupName, but not both',
    );
  }
  const orderBy = (p.orderBy as string | undefined) ?? 'LogStreamName';
  if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') {
    throw new LoopbackApiError(
      'ValidationException',
      `Value '${orderBy}' at 'orderBy' failed to satisfy constraint`,
    );
  }
  const prefix = p.logStreamNamePrefix as string | undefined;
  if (prefix !== undefined && orderBy === 'LastEventTime') {
    throw new LoopbackApiError(
      'InvalidParameterException',
      'Cannot order by LastEventTime with a logStreamNamePrefix.',
    );
  }
  const limit = p.limit === undefined ? 50 : Number(p.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) {
    throw new LoopbackApiError(
      'InvalidParameterException',
      `limit must be between 1 and 50, got ${String(p.limit)}`,
    );
  }
  const group = rw.logGroups.find((g) => g.name === name);
  if (group === undefined) {
    throw new LoopbackApiError('ResourceNotFoundException', 'The specified log group does not exist.');
  }
  const byName = (a: WorldLogStream, b: WorldLogStream) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  // Streams with no event sort as the oldest.
  const byEvent = (a: WorldLogStream, b: WorldLogStream) =>
    (a.lastEventTimestamp ?? 0) - (b.lastEventTimestamp ?? 0) || byName(a, b);
  const streams = [...(group.streams ?? [])]
    .filter((stream) => prefix === undefined || stream.name.startsWith(prefix))
    .sort(orderBy === 'LastEventTime' ? byEvent : byName);
  if (p.descending === true) streams.reverse();
  const offset = pageOffset(p.nextToken, 'InvalidParameterException');
  const page = streams.slice(offset, offset + limit);
  const arnPrefix = `arn:aws:logs:${region}:${LOOPBACK_ACCOUNT_ID}:log-group:${group.name}:log-stream:`;
  return {
    logStreams: page.map((stream) => ({
      logStreamName: stream.name,
      creationTime: 1768469400000,
      ...(stream.lastEventTimestamp === undefined
        ? {}
        : { firstEventTimestamp: 1768469400000, lastEventTimestamp: stream.lastEventTimestamp }),
      ...(stream.lastIngestionTime === undefined ? {} : { lastIngestionTime: stream.lastIngestionTime }),
      arn: `${arnPrefix}${stream.name}`,
      storedBytes: 0,
    })),
    ...(offset + limit < streams.length ? { nextToken: pageToken(offset + limit) } : {}),
  };
}

function logGroupJson(arnPrefix: string, g: WorldLogGroup): Params {
  return {
    logGroupName: g.name,
    creationTime: 1768469400000,
    ...(g.retentionInDays === undefined ? {} : { retentionInDays: g.retentionInDays }),
    metricFilterCount: 0,
    arn: `${arnPrefix}${g.name}:*`,
    storedBytes: 2048,
    ...(g.kmsKeyId === undefined ? {} : { kmsKeyId: g.kmsKeyId }),
    logGroupClass: 'STANDARD',
    logGroupArn: `${arnPrefix}${g.name}`,
  };
}

// ---------------------------------------------------------------- Config (JSON 1.1)

const COMPLIANCE_TYPES = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'];

function putEvaluations(world: LoopbackWorld, region: string, rw: WorldRegion, p: Params): Params {
  const resultToken = requireString(p, 'ResultToken');
  const evaluations = (p.Evaluations ?? []) as Params[];
  if (evaluations.length > 100) {
    throw new LoopbackApiError(
      'ValidationException',
      `1 validation error detected: Value at 'evaluations' failed to satisfy constraint: Member must have length less than or equal to 100`,
    );
  }
  const testMode = p.TestMode === true;
  const received = evaluations.map((e) => {
    const complianceType = String(e.ComplianceType);
    if (!COMPLIANCE_TYPES.includes(complianceType)) {
      throw new LoopbackApiError(
        'InvalidParameterValueException',
        `ComplianceType ${complianceType} is not valid for PutEvaluations`,
      );
    }
    const annotation = e.Annotation as string | undefined;
    if (annotation !== undefined && (annotation.length < 1 || annotation.length > 256)) {
      throw new LoopbackApiError(
        'ValidationException',
        `1 validation error detected: Value at 'evaluations.member.annotation' failed to satisfy constraint: Member must have length less than or equal to 256`,
      );
    }
    if (typeof e.OrderingTimestamp !== 'number') {
      throw new LoopbackApiError(
        'ValidationException',
        'OrderingTimestamp must be a timestamp (epoch seconds)',
      );
    }
    return {
      region,
      resourceType: requireString(e, 'ComplianceResourceType'),
      resourceId: requireString(e, 'ComplianceResourceId'),
      complianceType,
      ...(annotation === undefined ? {} : { annotation }),
      orderingTimestamp: new Date(e.OrderingTimestamp * 1000),
      resultToken,
      testMode,
    };
  });
  const failed: Params[] = [];
  for (const [index, evaluation] of received.entries()) {
    const failuresLeft = rw.failEvaluations.get(evaluation.resourceId) ?? 0;
    if (failuresLeft > 0) {
      rw.failEvaluations.set(evaluation.resourceId, failuresLeft - 1);
      failed.push(evaluations[index] as Params);
      continue;
    }
    world.receivedEvaluations.push(evaluation);
    if (!testMode) rw.configResults.set(evaluation.resourceId, evaluation);
  }
  return { FailedEvaluations: failed };
}

function getComplianceDetailsByConfigRule(rw: WorldRegion, p: Params): Params {
  const ruleName = requireString(p, 'ConfigRuleName');
  if (ruleName !== rw.configRuleName) {
    throw new LoopbackApiError(
      'NoSuchConfigRuleException',
      `The ConfigRule '${ruleName}' provided in the request is invalid. Please check the configRule name.`,
    );
  }
  const limit = p.Limit === undefined || p.Limit === 0 ? 10 : Number(p.Limit);
  if (!Number.isInteger(limit) || limit < 0 || limit > 100) {
    throw new LoopbackApiError('InvalidLimitException', `Limit ${String(p.Limit)} is not between 0 and 100`);
  }
  const types = (p.ComplianceTypes as string[] | undefined) ?? [];
  const results = [...rw.configResults.values()].filter(
    (r) => types.length === 0 || types.includes(r.complianceType),
  );
  const offset = pageOffset(p.NextToken, 'InvalidNextTokenException');
  const page = results.slice(offset, offset + limit);
  const seconds = (d: Date): number => d.getTime() / 1000;
  return {
    EvaluationResults: page.map((r) => ({
      EvaluationResultIdentifier: {
        EvaluationResultQualifier: {
          ConfigRuleName: ruleName,
          ResourceType: r.resourceType,
          ResourceId: r.resourceId,
          EvaluationMode: 'DETECTIVE',
        },
        OrderingTimestamp: seconds(r.orderingTimestamp),
      },
      ComplianceType: r.complianceType,
      ResultRecordedTime: seconds(r.orderingTimestamp) + 1,
      ConfigRuleInvokedTime: seconds(r.orderingTimestamp),
      ...(r.annotation === undefined ? {} : { Annotation: r.annotation }),
    })),
    ...(offset + limit < results.length ? { NextToken: pageToken(offset + limit) } : {}),
  };
}

function getResourceConfigHistory(rw: WorldRegion, p: Params): Params {
  const resourceType = requireString(p, 'resourceType');
  const resourceId = requireString(p, 'resourceId');
  const limit = p.limit === undefined || p.limit === 0 ? 10 : Number(p.limit);
  const items = resourceType === CLIENT_VPN_RESOURCE_TYPE ? rw.configHistory.get(resourceId) : undefined;
  if (items === undefined) {
    throw new LoopbackApiError(
      'ResourceNotDiscoveredException',
      `Resource ${resourceId} of resourceType:${resourceType} is unknown or has not been discovered`,
    );
  }
  return { configurationItems: items.slice(0, limit) };
}

function configRuleNames(rw: WorldRegion): string[] {
  return [...(rw.configRuleName === undefined ? [] : [rw.configRuleName]), ...(rw.otherConfigRules ?? [])];
}

function startConfigRulesEvaluation(
  world: LoopbackWorld,
  region: string,
  rw: WorldRegion,
  p: Params,
): Params {
  refuseUnknownMembers('config', p, ['ConfigRuleNames']);
  const names = p.ConfigRuleNames as unknown;
  if (!Array.isArray(names) || names.length < 1 || names.length > 25) {
    throw new LoopbackApiError(
      'ValidationException',
      `1 validation error detected: Value at 'configRuleNames' failed to satisfy constraint: Member must have length between 1 and 25`,
    );
  }
  const unknown = names.find((name) => !configRuleNames(rw).includes(String(name)));
  if (unknown !== undefined) {
    throw new LoopbackApiError(
      'NoSuchConfigRuleException',
      `The ConfigRule '${String(unknown)}' provided in the request is invalid. Please check the configRule name.`,
    );
  }
  if ((rw.evaluationBusyFor ?? 0) > 0) {
    rw.evaluationBusyFor = (rw.evaluationBusyFor ?? 0) - 1;
    throw new LoopbackApiError('LimitExceededException', 'An evaluation of the rule is in progress.');
  }
  for (const name of names)
    world.startedEvaluations.push({ region, configRuleName: String(name), at: new Date() });
  return {};
}

function describeConfigRules(region: string, rw: WorldRegion, p: Params): Params {
  refuseUnknownMembers('config', p, ['ConfigRuleNames', 'NextToken', 'Filters']);
  const wanted = p.ConfigRuleNames as string[] | undefined;
  const names = configRuleNames(rw).filter((name) => wanted === undefined || wanted.includes(name));
  const missing = wanted?.find((name) => !names.includes(name));
  if (missing !== undefined) {
    throw new LoopbackApiError(
      'NoSuchConfigRuleException',
      `The ConfigRule '${missing}' provided in the request is invalid.`,
    );
  }
  // DescribeConfigRules returns 25 rules a page.
  const offset = pageOffset(p.NextToken, 'InvalidNextTokenException');
  const page = names.slice(offset, offset + 25);
  return {
    ConfigRules: page.map((name, index) => ({
      ConfigRuleName: name,
      ConfigRuleArn: `arn:aws:config:${region}:${LOOPBACK_ACCOUNT_ID}:config-rule/config-rule-${String(offset + index).padStart(6, '0')}`,
      ConfigRuleId: `config-rule-${String(offset + index).padStart(6, '0')}`,
      Source: {
        Owner: 'CUSTOM_LAMBDA',
        SourceIdentifier: `arn:aws:lambda:${region}:${LOOPBACK_ACCOUNT_ID}:function:rule`,
      },
      ConfigRuleState: 'ACTIVE',
    })),
    ...(offset + 25 < names.length ? { NextToken: pageToken(offset + 25) } : {}),
  };
}

// ---------------------------------------------------------------- KMS (JSON 1.1)

function describeKey(region: string, rw: WorldRegion, p: Params): Params {
  refuseUnknownMembers('kms', p, ['KeyId', 'GrantTokens']);
  const keyId = requireString(p, 'KeyId');
  const arnPrefix = `arn:aws:kms:${region}:${LOOPBACK_ACCOUNT_ID}:key/`;
  const key: WorldKey | undefined = (rw.keys ?? []).find(
    (k) => keyId === k.keyId || keyId === `${arnPrefix}${k.keyId}`,
  );
  if (key === undefined) {
    if (!keyId.startsWith('arn:') && !/^[0-9a-f-]{36}$/.test(keyId) && !keyId.startsWith('alias/')) {
      throw new LoopbackApiError('InvalidArnException', `Invalid keyId ${keyId}`);
    }
    throw new LoopbackApiError('NotFoundException', `Key '${keyId}' does not exist`);
  }
  if (key.denied === true) {
    throw new LoopbackApiError(
      'AccessDeniedException',
      `User: arn:aws:sts::${LOOPBACK_ACCOUNT_ID}:assumed-role/rule/session is not authorized to perform: kms:DescribeKey on resource: ${arnPrefix}${key.keyId} because no resource-based policy allows the kms:DescribeKey action`,
    );
  }
  return {
    KeyMetadata: {
      AWSAccountId: LOOPBACK_ACCOUNT_ID,
      KeyId: key.keyId,
      Arn: `${arnPrefix}${key.keyId}`,
      CreationDate: 1768469400.918,
      Enabled: key.keyState === 'Enabled',
      Description: 'Client VPN connection logs',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeyState: key.keyState,
      ...(key.deletionDate === undefined
        ? {}
        : { DeletionDate: key.deletionDate.getTime() / 1000, PendingDeletionWindowInDays: 7 }),
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      MultiRegion: false,
    },
  };
}

// ---------------------------------------------------------------- SSM (JSON 1.1)

function describeDocument(rw: WorldRegion, p: Params): Params {
  const name = requireString(p, 'Name');
  const document = rw.documents.find((d) => d.name === name);
  if (document === undefined)
    throw new LoopbackApiError('InvalidDocument', 'Document with name ' + name + ' does not exist.');
  return {
    Document: {
      Name: document.name,
      DocumentType: 'Automation',
      DocumentFormat: 'YAML',
      SchemaVersion: '0.3',
      Status: 'Active',
      DocumentVersion: '1',
      LatestVersion: '1',
      DefaultVersion: '1',
      Owner: LOOPBACK_ACCOUNT_ID,
      CreatedDate: 1768469400,
      Parameters: document.requiredParameters.map((Name) => ({ Name, Type: 'String' })),
    },
  };
}

function startAutomationExecution(world: LoopbackWorld, region: string, rw: WorldRegion, p: Params): Params {
  const documentName = requireString(p, 'DocumentName');
  const document = rw.documents.find((d) => d.name === documentName);
  if (document === undefined) {
    throw new LoopbackApiError(
      'AutomationDefinitionNotFoundException',
      `Automation definition ${documentName} not found`,
    );
  }
  const parameters = (p.Parameters ?? {}) as Record<string, string[]>;
  const missing = document.requiredParameters.filter((name) => (parameters[name]?.length ?? 0) === 0);
  if (missing.length > 0) {
    throw new LoopbackApiError(
      'InvalidAutomationExecutionParametersException',
      `Parameter(s) [${missing.join(', ')}] must be provided`,
    );
  }
  const startedHere = world.startedAutomations.filter((a) => a.region === region).length;
  if (rw.automationLimit !== undefined && startedHere >= rw.automationLimit) {
    throw new LoopbackApiError(
      'AutomationExecutionLimitExceededException',
      `The number of simultaneously running Automation executions exceeded the limit of ${rw.automationLimit}.`,
    );
  }
  const automationExecutionId = randomUUID();
  world.startedAutomations.push({ region, documentName, parameters, automationExecutionId });
  return { AutomationExecutionId: automationExecutionId };
}
