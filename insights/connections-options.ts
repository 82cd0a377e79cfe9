/**
 * The `connections` command's options, checked. Regions, profile, output format and output file are
 * checked by the audit's own option reader (`audit/options.ts`), so both commands take them alike; the
 * rest is the report's own.
 */
import { AuditOptionError, auditOptionsFrom, OUTPUT_FORMATS, type RegionSelection } from '../audit/options';
import { CLIENT_VPN_ENDPOINT_ID_PATTERN, LOG_GROUP_NAME_PATTERN } from '../rule/aws-name-patterns';
import { QUERYABLE_USER } from './connection-query';

/** The output formats of `connections --output`: the audit's, but ASFF, which holds compliance findings. */
export const CONNECTIONS_OUTPUT_FORMATS = OUTPUT_FORMATS.filter(
  (format): format is Exclude<(typeof OUTPUT_FORMATS)[number], 'asff'> => format !== 'asff',
);

/** A `connections` output format. */
export type ConnectionsOutputFormat = (typeof CONNECTIONS_OUTPUT_FORMATS)[number];

/** How far back the report reads unless `--since` says otherwise. */
export const DEFAULT_SINCE = '7d';

/** Users seen from more than this many device IPs are named, unless `--device-ip-threshold` says otherwise. */
export const DEFAULT_DEVICE_IP_THRESHOLD = 3;

/** The raw values commander reads (cli/connections-command.ts). */
export interface ConnectionsOptionValues {
  /** `--since`. */
  readonly since?: string;
  /** `--region`. */
  readonly region?: string;
  /** `--regions`. */
  readonly regions?: string;
  /** `--profile`. */
  readonly profile?: string;
  /** `--output`. */
  readonly output?: string;
  /** `--output-file`. */
  readonly outputFile?: string;
  /** `--log-group`, repeatable. */
  readonly logGroup?: readonly string[];
  /** `--endpoint`, repeatable. */
  readonly endpoint?: readonly string[];
  /** `--user`. */
  readonly user?: string;
  /** `--failed`. */
  readonly failed?: boolean;
  /** `--device-ip-threshold`. */
  readonly deviceIpThreshold?: string;
}

/** The `connections` command's options, checked. */
export interface ConnectionsOptions {
  /** `--region` or `--regions`; the configured region when neither is given. */
  readonly regions: Exclude<RegionSelection, { kind: 'all' }>;
  /** `--profile`. */
  readonly profile?: string;
  /** `--output`. */
  readonly output: ConnectionsOutputFormat;
  /** `--output-file`. */
  readonly outputFile?: string;
  /** `--since`, as the number of seconds before now the range starts. */
  readonly sinceSeconds: number;
  /** `--log-group`: query these groups. */
  readonly logGroups: readonly string[];
  /** `--endpoint`: only these endpoints' groups. */
  readonly endpointIds: readonly string[];
  /** `--user`. */
  readonly user?: string;
  /** `--failed`. */
  readonly failedOnly: boolean;
  /** `--device-ip-threshold`. */
  readonly deviceIpThreshold: number;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { m: 60, h: 3600, d: 86_400 };
// CloudWatch Logs keeps events ten years at most (3653 days): no range reaches further back.
const MAX_SINCE_SECONDS = 3653 * 86_400;

function since(value: string): number {
  const match = /^(\d{1,7})([mhd])$/.exec(value.trim());
  const seconds = match === null ? NaN : Number(match[1]) * (UNIT_SECONDS[match[2] as string] as number);
  if (!(seconds > 0 && seconds <= MAX_SINCE_SECONDS))
    throw new AuditOptionError(
      '--since',
      `expected a duration such as 30m, 12h or 90d (at most 3653d), got ${JSON.stringify(value)}`,
    );
  return seconds;
}

function items(option: string, values: readonly string[], pattern: RegExp, what: string): string[] {
  const list = values.flatMap((v) => v.split(',').map((item) => item.trim()));
  const bad = list.find((item) => !pattern.test(item));
  if (bad !== undefined) throw new AuditOptionError(option, `${JSON.stringify(bad)} is not ${what}`);
  return [...new Set(list)];
}

/**
 * Checks the values commander read.
 *
 * @param values - the raw values
 * @returns the checked options
 * @throws AuditOptionError naming the option whose value is bad
 */
export function connectionsOptionsFrom(values: ConnectionsOptionValues): ConnectionsOptions {
  const output = values.output ?? 'table';
  if (!(CONNECTIONS_OUTPUT_FORMATS as readonly string[]).includes(output))
    throw new AuditOptionError(
      '--output',
      `expected one of ${CONNECTIONS_OUTPUT_FORMATS.join(', ')}, got ${JSON.stringify(output)}`,
    );
  const shared = auditOptionsFrom({
    ...(values.region === undefined ? {} : { region: values.region }),
    ...(values.regions === undefined ? {} : { regions: values.regions }),
    ...(values.profile === undefined ? {} : { profile: values.profile }),
    ...(values.outputFile === undefined ? {} : { outputFile: values.outputFile }),
    output,
  });
  if (values.user !== undefined && !QUERYABLE_USER.test(values.user))
    throw new AuditOptionError(
      '--user',
      'expected a user name of 1 to 256 characters without quotes, backslashes or control characters',
    );
  const threshold = Number(values.deviceIpThreshold ?? DEFAULT_DEVICE_IP_THRESHOLD);
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > 1000)
    throw new AuditOptionError(
      '--device-ip-threshold',
      `expected a whole number from 1 to 1000, got ${JSON.stringify(values.deviceIpThreshold)}`,
    );
  return {
    regions: shared.regions as ConnectionsOptions['regions'],
    ...(shared.profile === undefined ? {} : { profile: shared.profile }),
    output: output as ConnectionsOutputFormat,
    ...(shared.outputFile === undefined ? {} : { outputFile: shared.outputFile }),
    sinceSeconds: since(values.since ?? DEFAULT_SINCE),
    logGroups: items('--log-group', values.logGroup ?? [], LOG_GROUP_NAME_PATTERN, 'a log group name'),
    endpointIds: items(
      '--endpoint',
      values.endpoint ?? [],
      CLIENT_VPN_ENDPOINT_ID_PATTERN,
      'a Client VPN endpoint ID (cvpn-endpoint- and 17 hex digits)',
    ),
    ...(values.user === undefined ? {} : { user: values.user }),
    failedOnly: values.failed === true,
    deviceIpThreshold: threshold,
  };
}
