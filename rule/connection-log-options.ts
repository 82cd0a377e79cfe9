import type { ConnectionLogOptions } from './types';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// The resource schema (and the EC2 API) spell fields in PascalCase; some recorders use camelCase.
function field(holder: JsonObject, pascalCase: string): unknown {
  if (pascalCase in holder) return holder[pascalCase];
  return holder[pascalCase.charAt(0).toLowerCase() + pascalCase.slice(1)];
}

function optionalName(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * Reads `ConnectionLogOptions` from an endpoint's configuration, as the `AWS::EC2::ClientVpnEndpoint`
 * resource schema and `DescribeClientVpnEndpoints` both spell it (PascalCase), tolerating camelCase.
 *
 * Logging counts as enabled only when `Enabled` is `true` (or the string `"true"`): a missing block
 * or flag means the endpoint keeps no record.
 *
 * @param configuration - the endpoint's configuration object
 * @returns the normalised connection-log settings
 */
export function readConnectionLogOptions(configuration: unknown): ConnectionLogOptions {
  const options = isObject(configuration) ? field(configuration, 'ConnectionLogOptions') : undefined;
  if (!isObject(options)) return { enabled: false };
  const enabled = field(options, 'Enabled');
  const logGroupName = optionalName(field(options, 'CloudwatchLogGroup'));
  const logStreamName = optionalName(field(options, 'CloudwatchLogStream'));
  return {
    enabled: enabled === true || (typeof enabled === 'string' && enabled.trim().toLowerCase() === 'true'),
    ...(logGroupName === undefined ? {} : { logGroupName }),
    ...(logStreamName === undefined ? {} : { logStreamName }),
  };
}
