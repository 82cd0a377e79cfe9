import { execFile, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { App, Stack } from 'aws-cdk-lib';

import { reEvaluationTriggerCode } from '../../infra/constructs/re-evaluation-trigger-code';
import { RuleEvaluationFunction } from '../../infra/constructs/rule-evaluation-function';
import { type Lockfile, scratchAppLockfile } from './scratch-app-lockfile';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  bin: Record<string, string>;
};
const REPOSITORY_LOCK = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as Lockfile;
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// npm answers from its cache (filled by this repository's npm ci) and never asks the registry.
const OFFLINE_ENV = { ...process.env, npm_config_offline: 'true' };

/** What `npm pack --json` reports of the tarball. */
interface PackReport {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly { readonly path: string; readonly size: number }[];
}

function lockedVersion(name: string): string {
  const version = REPOSITORY_LOCK.packages[`node_modules/${name}`]?.version;
  if (version === undefined) throw new Error(`${name} is not in package-lock.json`);
  return version;
}

// Every file of a directory, relative to it, sorted.
function filesOf(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? filesOf(dir, path.join(prefix, entry.name)) : [path.join(prefix, entry.name)],
    )
    .sort();
}

// Each file but the source maps, with its content.
function codeOf(dir: string): [string, string][] {
  return filesOf(dir)
    .filter((file) => !file.endsWith('.map'))
    .map((file) => [file, readFileSync(path.join(dir, file), 'utf8')]);
}

function lambdaAssetDir(outdir: string): string {
  const [asset] = readdirSync(outdir).filter((name) => existsSync(path.join(outdir, name, 'index.js')));
  if (asset === undefined) throw new Error(`no Lambda asset in ${outdir}`);
  return path.join(outdir, asset);
}

// The packed tarball, installed into a scratch CDK app outside the repository with npm ci --offline,
// and the example app of docs/deployment.md synthesised there with plain Node: what a CDK user does after
// installing the tarball, without this repository's sources, tsx or esbuild.
describe('the npm package', () => {
  let report: PackReport;
  let packDir: string;
  let appDir: string;
  const scratchDirs: string[] = [];
  let synthesis: { stdout: string; stderr: string };

  beforeAll(async () => {
    // Prepare: npm pack runs prepare, which builds lib/ from nothing.
    packDir = mkdtempSync(path.join(tmpdir(), 'cvl-pack-'));
    appDir = mkdtempSync(path.join(tmpdir(), 'cvl-app-'));
    scratchDirs.push(packDir, appDir);
    const { stdout } = await run(NPM, ['pack', '--json', '--pack-destination', packDir], {
      cwd: ROOT,
      env: OFFLINE_ENV,
      maxBuffer: 64 * 1024 * 1024,
    });
    // The prepare script's own output comes first; the report is the JSON array at the end.
    [report] = JSON.parse(stdout.slice(stdout.indexOf('\n[') + 1)) as PackReport[];

    const tarballSpec = `file:${path.relative(appDir, path.join(packDir, report.filename))}`;
    const app = {
      name: 'scratch-cdk-app',
      dependencies: {
        [PACKAGE.name]: tarballSpec,
        'aws-cdk-lib': lockedVersion('aws-cdk-lib'),
        constructs: lockedVersion('constructs'),
        'cdk-nag': lockedVersion('cdk-nag'),
      },
    };
    writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ ...app, private: true }, null, 2));
    const lock = scratchAppLockfile(REPOSITORY_LOCK, app, {
      name: PACKAGE.name,
      version: PACKAGE.version,
      spec: tarballSpec,
      dependencies: PACKAGE.dependencies,
      peerDependencies: PACKAGE.peerDependencies,
      bin: PACKAGE.bin,
    });
    writeFileSync(path.join(appDir, 'package-lock.json'), JSON.stringify(lock, null, 2));
    await run(NPM, ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], {
      cwd: appDir,
      env: OFFLINE_ENV,
      maxBuffer: 64 * 1024 * 1024,
    });

    // The example app, compiled against the installed declarations, and run as plain JavaScript.
    for (const file of ['app.ts', 'nag-control.ts'])
      copyFileSync(path.join(__dirname, 'example-app', file), path.join(appDir, file));
    writeFileSync(
      path.join(appDir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'commonjs',
          strict: true,
          skipLibCheck: true,
          typeRoots: [path.join(ROOT, 'node_modules', '@types')],
          types: ['node'],
        },
        files: ['app.ts', 'nag-control.ts'],
      }),
    );
    await run(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', appDir], {
      cwd: appDir,
    });
    mkdirSync(path.join(appDir, 'cdk.out'));
    synthesis = await run(process.execPath, ['app.js'], {
      cwd: appDir,
      env: { ...OFFLINE_ENV, CDK_OUTDIR: path.join(appDir, 'cdk.out') },
    });
  }, 600_000);

  // The installed app holds a copy of aws-cdk-lib and the SDK: some 250 MB.
  afterAll(() => {
    for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('ships the built entry point, its declarations, the runbook and the pre-bundled Lambda', () => {
    // Assess
    const files = report.files.map((file) => file.path);
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'lib/infra/index.js',
        'lib/infra/index.d.ts',
        'lib/remediation/EnableClientVpnConnectionLogging.yaml',
        'lib/assets/rule-handler/index.js',
        'lib/assets/rule-handler/node_modules/@aws-sdk/client-ec2/index.js',
        'lib/assets/rule-handler/node_modules/@aws-sdk/client-sts/index.js',
        'lib/assets/rule-handler/node_modules/@aws-sdk/client-kms/index.js',
        'lib/assets/re-evaluation-trigger/index.js',
        'lib/cli/demo-command.js',
        'lib/sandbox/execute-script-harness.py',
      ]),
    );
  });

  it('ships no TypeScript sources, tests or build output of the repository', () => {
    // Assess
    const unexpected = report.files
      .map((file) => file.path)
      .filter(
        (file) =>
          !/^(package\.json|README\.md|LICENSE|bin\/client-vpn-logging\.js)$/.test(file) &&
          !file.startsWith('lib/'),
      );
    expect(unexpected).toEqual([]);
    expect(report.files.filter((file) => file.path.endsWith('.ts') && !file.path.endsWith('.d.ts'))).toEqual(
      [],
    );
  });

  it('installs with every dependency from the lock file and synthesises the example app', () => {
    // Assess: the app ran to the end and wrote its template.
    expect(synthesis.stderr).not.toMatch(/AwsSolutions-/);
    const template = JSON.parse(
      readFileSync(path.join(appDir, 'cdk.out', 'NetworkStack.template.json'), 'utf8'),
    ) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const byType = (type: string) => Object.values(template.Resources).filter((r) => r.Type === type);
    expect(byType('AWS::Config::ConfigRule')).toEqual([
      expect.objectContaining({
        Properties: expect.objectContaining({
          ConfigRuleName: 'client-vpn-connection-logging',
          Source: expect.objectContaining({ Owner: 'CUSTOM_LAMBDA' }),
        }),
      }),
    ]);
    expect(byType('AWS::Lambda::Function')).toEqual([
      expect.objectContaining({
        Properties: expect.objectContaining({ Runtime: 'nodejs24.x', Handler: 'index.handler' }),
      }),
    ]);
    expect(byType('AWS::SSM::Document')).toHaveLength(1);
    expect(byType('AWS::Config::RemediationConfiguration')).toHaveLength(1);
  });

  it('runs its installed client-vpn-logging bin: check-template passes the example app it synthesised', () => {
    // Act: the bin as npm links it, from the built lib/ (an installed package has no TypeScript sources).
    const run = spawnSync(
      process.execPath,
      [path.join(appDir, 'node_modules', '.bin', 'client-vpn-logging'), 'check-template', 'cdk.out'],
      { cwd: appDir, encoding: 'utf8' },
    );
    // Assess
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: 0,
      stderr: expect.stringContaining('0 failure(s)'),
    });
  });

  it.each([
    ['an endpoint generated by Fn::ForEach', path.join('unseen', 'for-each-endpoints.yaml'), 2, 'INCOMPLETE'],
    [
      'Fn::Transform of AWS::Include in a property',
      path.join('unseen', 'include-in-property.yaml'),
      2,
      'INCOMPLETE',
    ],
    ['a template-level macro', path.join('unseen', 'template-macro.yaml'), 2, 'INCOMPLETE'],
    [
      'a nested stack whose template is elsewhere',
      path.join('unseen', 'remote-nested-stack.yaml'),
      2,
      'INCOMPLETE',
    ],
    ['a local nested stack with logging off', 'local-nested-stack.yaml', 1, 'FAIL'],
    ["the template's own short-lived group named through Fn::Sub", 'indirect-log-groups.yaml', 1, 'FAIL'],
  ])('refuses, through its installed bin, %s (%s: exit %i)', (_name, fixture, status, word) => {
    // Act: the installed bin (built lib/) on a template from the repository's fixtures
    const run = spawnSync(
      process.execPath,
      [
        path.join(appDir, 'node_modules', '.bin', 'client-vpn-logging'),
        'check-template',
        path.join(ROOT, 'test', 'fixtures', 'templates', fixture),
        '--min-retention-days',
        '365',
      ],
      { cwd: appDir, encoding: 'utf8' },
    );
    // Assess
    expect({ status: run.status, verdict: run.stderr.trim().split(': ').pop() }).toEqual({
      status,
      verdict: word,
    });
  });

  it("runs its installed bin's demo as designed, from the built lib/ with its Python harness", () => {
    // Act
    const run = spawnSync(
      process.execPath,
      [path.join(appDir, 'node_modules', '.bin', 'client-vpn-logging'), 'demo', '--output', 'json'],
      { cwd: appDir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: appDir } },
    );
    // Assess
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect((JSON.parse(run.stdout) as { remediations: unknown[] }).remediations).toHaveLength(6);
  });

  it('fails the same app on a planted unacknowledged wildcard, and on nothing of the construct', async () => {
    // Prepare
    const outdir = mkdtempSync(path.join(tmpdir(), 'cvl-control-'));
    scratchDirs.push(outdir);

    // Act
    const failure = await run(process.execPath, ['nag-control.js'], {
      cwd: appDir,
      env: { ...OFFLINE_ENV, CDK_OUTDIR: outdir },
    }).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );

    // Assess: cdk-nag ran on the installed construct's resources and flagged only the planted role.
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('NetworkStack/PlantedRole/DefaultPolicy/Resource');
    expect(failure?.stderr).toContain('AwsSolutions-IAM5[Resource::*]');
    expect(failure?.stderr).not.toContain('NetworkStack/ClientVpnConnectionLogging');
  });

  it("ships the re-evaluation trigger's inline code, byte for byte, as the repository builds it", () => {
    // Act
    const installed = readFileSync(
      path.join(appDir, 'node_modules', PACKAGE.name, 'lib', 'assets', 're-evaluation-trigger', 'index.js'),
      'utf8',
    );

    // Assess
    expect(installed).toBe(reEvaluationTriggerCode());
  });

  it('deploys the same Lambda bundle, byte for byte, as the repository synthesises from its sources', () => {
    // Prepare: the repository's own RuleEvaluationFunction, bundled by NodejsFunction at synthesis.
    const outdir = mkdtempSync(path.join(tmpdir(), 'cvl-repo-bundle-'));
    scratchDirs.push(outdir);
    const repositoryApp = new App({ outdir });
    new RuleEvaluationFunction(new Stack(repositoryApp, 'RepositoryBundle'), 'RuleFunction');

    // Act
    repositoryApp.synth();

    // Assess: index.js and every lazily loaded SDK module (source maps name the build's own paths).
    const repositoryAsset = lambdaAssetDir(outdir);
    const packageAsset = lambdaAssetDir(path.join(appDir, 'cdk.out'));
    expect(filesOf(packageAsset)).toEqual(filesOf(repositoryAsset));
    expect(codeOf(packageAsset)).toEqual(codeOf(repositoryAsset));
  }, 180_000);
});
