import { unknownPackageFetch, type KnownPackages } from './package-fetches';

describe('unknownPackageFetch', () => {
  const known: KnownPackages = {
    installedBins: new Set(['cdk', 'tsx']),
    lockedPackages: new Set(['aws-cdk-lib', 'constructs', '@aws-sdk/client-ec2']),
    tarballName: 'client-vpn-connection-logging-0.1.0.tgz',
    ownName: 'client-vpn-connection-logging',
  };

  it.each([
    [
      'npx of our own, unpublished bin',
      'npx client-vpn-logging demo',
      /client-vpn-logging without --no-install/,
    ],
    ['npx of a command nothing installs', 'npx cowsay hello', /cowsay without --no-install/],
    ['npm exec of a command nothing installs', 'npm exec cowsay', /cowsay without --no-install/],
    [
      'our package from the registry',
      'npm install client-vpn-connection-logging',
      /where it is not published/,
    ],
    [
      'our package from the registry, a version given',
      'npm i client-vpn-connection-logging@0.1.0',
      /not published/,
    ],
    [
      'a package the lock file does not know',
      'npm install aws-cdk-lib left-pad',
      /left-pad, a package the lock file/,
    ],
    [
      'a local file that is not our tarball',
      'npm install ./other-1.0.0.tgz',
      /not the tarball npm pack writes/,
    ],
  ])('refuses %s', (_title, line, problem) => {
    expect(unknownPackageFetch(line.split(' '), known)).toMatch(problem);
  });

  it.each([
    ['npx --no-install of our bin', 'npx --no-install client-vpn-logging audit --region eu-west-1'],
    ['npx of a bin a dependency installs', 'npx cdk deploy ClientVpnConnectionLogging'],
    [
      'the tarball npm pack wrote, by path',
      'npm install ../client-vpn-connection-logging/client-vpn-connection-logging-0.1.0.tgz',
    ],
    [
      'locked packages and the tarball',
      'npm install aws-cdk-lib constructs ./client-vpn-connection-logging-0.1.0.tgz',
    ],
    ['a scoped locked package with a range', 'npm install @aws-sdk/client-ec2@^3'],
    ['npm ci', 'npm ci'],
  ])('accepts %s', (_title, line) => {
    expect(unknownPackageFetch(line.split(' '), known)).toBeUndefined();
  });
});
