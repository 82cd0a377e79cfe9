import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';
import { PolicyError } from './policy-error';

/** The cfn-guard binary for this platform is not where the npm package keeps it. */
export class CfnGuardBinaryNotFoundError extends PolicyError {
  public override readonly name = 'CfnGuardBinaryNotFoundError';
}

// @cdklabs/cdk-validator-cfnguard ships cfn-guard 3 (guard-version.json) as bin/<os>/<arch>/cfn-guard,
// naming Linux "ubuntu" after Guard's own release archives.
const PLATFORM_DIRECTORIES: Readonly<Record<string, string>> = { linux: 'ubuntu', darwin: 'macos' };
const ARCHITECTURE_DIRECTORIES: Readonly<Record<string, string>> = { x64: 'x86_64', arm64: 'aarch64' };

/**
 * The path of the cfn-guard 3 binary inside the `@cdklabs/cdk-validator-cfnguard` npm package, so
 * the policy runs on the real Guard engine from `node_modules`, never from a download.
 *
 * @param platform - `process.platform` unless given
 * @param architecture - `process.arch` unless given
 * @returns the absolute path of an executable cfn-guard
 * @throws CfnGuardBinaryNotFoundError on a platform the package has no build for, or when it is missing
 */
export function cfnGuardBinaryPath(
  platform: string = process.platform,
  architecture: string = process.arch,
): string {
  const platformDirectory = PLATFORM_DIRECTORIES[platform];
  const architectureDirectory = ARCHITECTURE_DIRECTORIES[architecture];
  if (platformDirectory === undefined || architectureDirectory === undefined) {
    throw new CfnGuardBinaryNotFoundError(
      `cfn-guard is packaged for Linux and macOS on x64 and arm64 only, not ${platform}/${architecture}`,
    );
  }
  let packageDirectory: string;
  try {
    packageDirectory = path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
  } catch {
    throw new CfnGuardBinaryNotFoundError(
      'the npm package @cdklabs/cdk-validator-cfnguard, which ships cfn-guard, is not installed; run npm install',
    );
  }
  const binary = path.join(packageDirectory, 'bin', platformDirectory, architectureDirectory, 'cfn-guard');
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    throw new CfnGuardBinaryNotFoundError(`cfn-guard is missing or not executable at ${binary}`);
  }
  return binary;
}
