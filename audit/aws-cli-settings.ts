/**
 * The profile and region the audit uses, resolved as the AWS CLI resolves them, so a platform
 * team's habits carry over: `--profile` over `AWS_PROFILE`; `--region` over `AWS_REGION` over
 * `AWS_DEFAULT_REGION` over the profile's `region` in the config file. The SDK for JavaScript reads
 * `AWS_REGION` but not `AWS_DEFAULT_REGION`, which is why the chain is resolved here and the region
 * then passed to every client.
 *
 * AWS documents the order in "Configuration and credential file settings in the AWS CLI" and
 * "Environment variables to configure the AWS CLI" (docs.aws.amazon.com/cli/latest/userguide/
 * cli-configure-files.html and cli-configure-envvars.html).
 */
import { loadSharedConfigFiles } from '@smithy/core/config';
import { AuditError } from './audit-error';

/** What the command line says, before the environment and files are consulted. */
export interface AwsCliFlags {
  /** `--profile`. */
  readonly profile?: string;
}

/** The profile and region resolved. */
export interface AwsCliSettings {
  /** The named profile, when `--profile` or `AWS_PROFILE` names one; undefined means `default`. */
  readonly profile?: string;
  /** The configured region, when any source names one. */
  readonly region?: string;
  /** Where the region came from, for messages: `AWS_REGION`, `AWS_DEFAULT_REGION` or `profile NAME`. */
  readonly regionSource?: string;
}

/** The profile named by `--profile` or `AWS_PROFILE` is in neither the config nor the credentials file. */
export class UnknownProfileError extends AuditError {
  public override readonly name = 'UnknownProfileError';

  /**
   * @param profile - the profile name
   * @param source - `--profile` or `AWS_PROFILE`
   */
  public constructor(
    public readonly profile: string,
    source: string,
  ) {
    // The AWS CLI's own words for it, so the message is recognised.
    super(
      `The config profile (${profile}) could not be found (named by ${source}; looked in ${process.env.AWS_CONFIG_FILE ?? '~/.aws/config'} and ${process.env.AWS_SHARED_CREDENTIALS_FILE ?? '~/.aws/credentials'}).`,
    );
  }
}

/**
 * Resolves the profile and region as the AWS CLI does.
 *
 * @param flags - the command line's `--profile`
 * @param env - the environment (`AWS_PROFILE`, `AWS_REGION`, `AWS_DEFAULT_REGION`)
 * @returns the profile and the configured region, if any
 * @throws UnknownProfileError when a profile is named and neither shared file holds it
 */
export async function resolveAwsCliSettings(
  flags: AwsCliFlags,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AwsCliSettings> {
  const named = flags.profile ?? nonEmpty(env.AWS_PROFILE);
  // The files are read afresh: a test or a long session may change them between runs.
  const files = await loadSharedConfigFiles({ ignoreCache: true });
  const profileName = named ?? 'default';
  if (
    named !== undefined &&
    files.configFile[named] === undefined &&
    files.credentialsFile[named] === undefined
  ) {
    throw new UnknownProfileError(named, flags.profile !== undefined ? '--profile' : 'AWS_PROFILE');
  }
  const fromEnv: [string, string | undefined][] = [
    ['AWS_REGION', nonEmpty(env.AWS_REGION)],
    ['AWS_DEFAULT_REGION', nonEmpty(env.AWS_DEFAULT_REGION)],
    [`profile ${profileName}`, nonEmpty(files.configFile[profileName]?.region)],
  ];
  const found = fromEnv.find(([, value]) => value !== undefined);
  return {
    ...(named === undefined ? {} : { profile: named }),
    ...(found === undefined ? {} : { region: found[1] as string, regionSource: found[0] }),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
