import { LOOPBACK_ACCOUNT_ID } from './loopback-world';
/**
 * Points the AWS SDK's standard configuration chain at a loopback server, with obviously fake
 * credentials, and puts the environment back afterwards. Only tests and the benchmark use this.
 */

/** The variables {@link loopbackEnvironment} sets for a server URL and region. */
export function loopbackEnvironment(url: string, region: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: url,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    // The documented example key pair: fake, and recognisably so.
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_EC2_METADATA_DISABLED: 'true',
    // Never read the developer's own ~/.aws files.
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
}

const UNSET = ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE'];

/**
 * Sets the loopback variables in `process.env` and returns a function that restores every variable it touched.
 *
 * @param url - the loopback server's URL
 * @param region - the region the SDK signs for
 * @param extra - more variables to set, e.g. `AWS_ENDPOINT_URL_SSM`
 */
export function useLoopbackEnvironment(
  url: string,
  region: string,
  extra: Record<string, string> = {},
): () => void {
  const wanted: Record<string, string | undefined> = { ...loopbackEnvironment(url, region), ...extra };
  for (const name of UNSET) wanted[name] = undefined;
  const saved = Object.fromEntries(Object.keys(wanted).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>): void => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(wanted);
  return () => apply(saved);
}

/**
 * The Lambda context of the rule's function in the loopback world's account, as Lambda passes it: the
 * handler acts only in the account of its own `invokedFunctionArn`.
 *
 * @param region - the function's region
 */
export function loopbackFunctionContext(region: string): {
  awsRequestId: string;
  invokedFunctionArn: string;
} {
  return {
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    invokedFunctionArn: `arn:aws:lambda:${region}:${LOOPBACK_ACCOUNT_ID}:function:client-vpn-connection-logging`,
  };
}
