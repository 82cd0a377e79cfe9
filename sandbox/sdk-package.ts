/**
 * Where the AWS SDK v3 keeps the commands of an SSM Automation service namespace.
 */

// Boto3's namespace is the SDK v3 package suffix for most services; these are the exceptions in use.
const SDK_PACKAGE_EXCEPTIONS: Readonly<Record<string, string>> = {
  logs: '@aws-sdk/client-cloudwatch-logs',
  events: '@aws-sdk/client-eventbridge',
  config: '@aws-sdk/client-config-service',
};

/**
 * The SDK v3 package that holds an SSM service namespace's commands.
 *
 * @param service - the `Service` input of a step, such as `ec2` or `logs`
 * @returns the package name, such as `@aws-sdk/client-cloudwatch-logs`
 */
export function sdkPackageFor(service: string): string {
  return SDK_PACKAGE_EXCEPTIONS[service] ?? `@aws-sdk/client-${service}`;
}

/**
 * Loads the SDK v3 command class for `Service` + `Api`, as `aws:executeAwsApi` names them.
 *
 * @param service - the SSM service namespace
 * @param api - the API name, such as `DescribeLogGroups`
 * @returns the `<Api>Command` class, or a sentence saying why there is none
 */
export function sdkCommandFor(
  service: string,
  api: string,
): { command: new (input: Record<string, unknown>) => unknown } | { missing: string } {
  const packageName = sdkPackageFor(service);
  let sdk: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    sdk = require(packageName) as Record<string, unknown>;
  } catch {
    return { missing: `${packageName} is not installed` };
  }
  const command = sdk[`${api}Command`];
  if (typeof command !== 'function') return { missing: `${packageName} exports no ${api}Command` };
  return { command: command as new (input: Record<string, unknown>) => unknown };
}
