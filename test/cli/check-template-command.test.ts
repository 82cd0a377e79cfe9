import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CommanderError } from 'commander';
import {
  CHECK_TEMPLATE_EXIT,
  checkTemplateCommand,
  runCheckTemplate,
} from '../../cli/check-template-command';
import { buildApp } from '../../infra/app';

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'templates');
const COMPLIANT = path.join(FIXTURES, 'compliant-endpoint.yaml');
const NON_COMPLIANT = path.join(FIXTURES, 'non-compliant-endpoints.yaml');

function captureIo(): {
  io: Parameters<typeof runCheckTemplate>[2];
  out: string[];
  err: string[];
  exit: number[];
} {
  const out: string[] = [];
  const err: string[] = [];
  const exit: number[] = [];
  return {
    out,
    err,
    exit,
    io: {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text) },
      setExitCode: (code: number) => exit.push(code),
    },
  };
}

// The `bin` entry point in a fresh process, as a user runs it.
function runEntryPoint(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'client-vpn-logging.js'), ...args], {
    encoding: 'utf8',
    cwd: ROOT,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('runCheckTemplate', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'check-template-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('exits 0 on a compliant template and prints no finding', () => {
    // Prepare
    const { io, out, err, exit } = captureIo();
    // Act
    const code = runCheckTemplate([COMPLIANT], { minRetentionDays: '365', requireKmsEncryption: true }, io);
    // Assess
    expect(code).toBe(CHECK_TEMPLATE_EXIT.pass);
    expect(exit).toEqual([0]);
    expect(out).toEqual([]);
    expect(err.join('')).toContain('1 template(s), 1 endpoint(s) judged, 0 failure(s), 0 warning(s): PASS\n');
  });

  it('exits 1 and prints one line per finding, naming template, endpoint, rule and fix', () => {
    // Prepare
    const { io, out } = captureIo();
    // Act
    const code = runCheckTemplate([COMPLIANT, NON_COMPLIANT], {}, io);
    // Assess
    expect(code).toBe(CHECK_TEMPLATE_EXIT.fail);
    expect(out).toHaveLength(3);
    expect(out.every((line) => line.endsWith('\n') && line.split('\n').length === 2)).toBe(true);
    expect(out[0]).toMatch(
      new RegExp(
        `^FAIL ${NON_COMPLIANT} LoggingOff CLIENT_VPN_CONNECTION_LOGGING_ENABLED: Client VPN endpoint LoggingOff: .+ Fix: .+`,
      ),
    );
    expect(out.join('')).toContain(`FAIL ${NON_COMPLIANT} LogsToArn CLIENT_VPN_CONNECTION_LOG_GROUP_NOT_ARN`);
    expect(out.join('')).toContain(
      `WARN ${NON_COMPLIANT} LogsToImportedGroup CLIENT_VPN_CONNECTION_LOG_GROUP_RESOLVABLE`,
    );
  });

  it('exits 0 when only warnings are found', () => {
    // Prepare
    const file = path.join(scratch, 'imported.json');
    writeFileSync(
      file,
      JSON.stringify({
        Resources: {
          Endpoint: {
            Type: 'AWS::EC2::ClientVpnEndpoint',
            Properties: {
              ConnectionLogOptions: { Enabled: true, CloudwatchLogGroup: { 'Fn::ImportValue': 'X' } },
            },
          },
        },
      }),
    );
    const { io, out } = captureIo();
    // Act
    const code = runCheckTemplate([file], {}, io);
    // Assess
    expect(code).toBe(CHECK_TEMPLATE_EXIT.pass);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^WARN /);
  });

  it('takes the Config rule parameters as JSON, with the same validation as the rule', () => {
    // Prepare
    const { io, out } = captureIo();
    // Act
    const code = runCheckTemplate([COMPLIANT], { ruleParameters: '{"logGroupNamePrefix":"/org/"}' }, io);
    // Assess
    expect(code).toBe(CHECK_TEMPLATE_EXIT.fail);
    expect(out.join('')).toContain('Endpoint CLIENT_VPN_CONNECTION_LOG_GROUP_PREFIX');
  });

  it.each([
    ['a missing file', () => [path.join(scratch, 'absent.json')], 'no such file or directory'],
    ['unparsable YAML', () => [path.join(FIXTURES, 'unparsable.yaml')], 'not JSON or YAML'],
    ['a template without Resources', () => [path.join(FIXTURES, 'no-resources.json')], '"Resources" map'],
    [
      'a directory without templates',
      () => {
        const empty = path.join(scratch, 'empty');
        mkdirSync(empty, { recursive: true });
        return [empty];
      },
      'holds no template',
    ],
    [
      'a readable file next to an unreadable one',
      () => [COMPLIANT, path.join(FIXTURES, 'unparsable.yaml')],
      'unparsable.yaml',
    ],
  ])('exits 2 on %s and evaluates nothing', (_name, inputs, message) => {
    // Prepare
    const { io, out, err } = captureIo();
    // Act
    const code = runCheckTemplate(inputs(), {}, io);
    // Assess
    expect(code).toBe(CHECK_TEMPLATE_EXIT.unreadable);
    expect(out).toEqual([]);
    expect(err.join('')).toContain(message);
  });

  it.each([
    ['an endpoint generated by Fn::ForEach', 'for-each-endpoints.yaml', 'Resources/Fn::ForEach::Endpoints'],
    ['AWS::Include as a template-level transform', 'include-at-template-level.yaml', 'Transform'],
    ['Fn::Transform of AWS::Include in the Resources section', 'include-in-resources.yaml', 'Resources'],
    [
      'Fn::Transform of AWS::Include inside a property',
      'include-in-property.yaml',
      'Resources/Endpoint/Properties/ConnectionLogOptions',
    ],
    ['a template-level macro', 'template-macro.yaml', 'Transform'],
    ['a nested stack whose template is elsewhere', 'remote-nested-stack.yaml', 'Resources/Network'],
    [
      'a nested stack whose CDK asset metadata names a local file but whose TemplateURL is remote',
      'asset-path-beside-remote-url.yaml',
      'Resources/Network',
    ],
    ['a stack set', 'stack-set.yaml', 'Resources/Everywhere'],
    ['a Service Catalog provisioned product', 'service-catalog-provisioned-product.yaml', 'Resources/Vpn'],
    ['a Service Catalog product', 'service-catalog-product.yaml', 'Resources/Product'],
    ['a SAM nested application', 'serverless-application.yaml', 'Resources/Vpn'],
    ['a module', 'module.yaml', 'Resources/Vpn'],
  ])(
    'exits 2, never PASS, on %s, naming it and how to check the expanded template',
    (_name, file, location) => {
      // Prepare
      const template = path.join(FIXTURES, 'unseen', file);
      const { io, out, err } = captureIo();
      // Act
      const code = runCheckTemplate([template], {}, io);
      // Assess
      expect(code).toBe(CHECK_TEMPLATE_EXIT.unreadable);
      const unseen = out.filter((line) => line.startsWith('UNSEEN '));
      expect(unseen).toHaveLength(1);
      expect(unseen[0]).toContain(`UNSEEN ${template} ${location} CLIENT_VPN_TEMPLATE_CONTENT_UNSEEN: `);
      expect(unseen[0]).toMatch(/Check: .*(--template-stage Processed|template file)/);
      expect(err.join('')).toMatch(/1 construct\(s\) not seen: INCOMPLETE\n$/);
      expect(err.join('')).not.toContain('PASS');
    },
  );

  it('judges the template of a nested stack given as a local file, and exits 1 on its endpoint', () => {
    // Prepare
    const { io, out, err } = captureIo();
    // Act
    const code = runCheckTemplate([path.join(FIXTURES, 'local-nested-stack.yaml')], {}, io);
    // Assess
    expect(code).toBe(CHECK_TEMPLATE_EXIT.fail);
    expect(out).toEqual([
      expect.stringMatching(
        `^FAIL ${path.join(FIXTURES, 'nested', 'disabled-endpoint.yaml')} LoggingOff CLIENT_VPN_CONNECTION_LOGGING_ENABLED: `,
      ),
    ]);
    expect(err.join('')).toContain('2 template(s), 1 endpoint(s) judged, 1 failure(s)');
  });

  it.each([
    ['.txt', 'disabled-endpoint.txt', 'disabled-endpoint.txt'],
    ['.JSON', 'disabled-endpoint.JSON', 'disabled-endpoint.JSON'],
    ['no extension', 'disabled-endpoint', 'disabled-endpoint'],
    ['.txt reached as a nested stack', 'nested-stack-of-txt.json', 'disabled-endpoint.txt'],
  ])(
    'fails (exit 1) a template named with %s, which cfn-guard would skip unjudged',
    (_name, file, failing) => {
      // Prepare
      const { io, out, err } = captureIo();
      // Act
      const code = runCheckTemplate([path.join(FIXTURES, 'named-oddly', file)], {}, io);
      // Assess
      expect(code).toBe(CHECK_TEMPLATE_EXIT.fail);
      expect(out).toEqual([
        expect.stringMatching(
          `^FAIL ${path.join(FIXTURES, 'named-oddly', failing)} Ep CLIENT_VPN_CONNECTION_LOGGING_ENABLED: `,
        ),
      ]);
      expect(err.join('')).toContain('1 endpoint(s) judged, 1 failure(s)');
    },
  );

  it("fails (exit 1) on the retention and key of the template's own group named by Fn::Sub, Fn::Join and literal name", () => {
    // Prepare
    const template = path.join(FIXTURES, 'indirect-log-groups.yaml');
    const { io, out } = captureIo();
    // Act
    const code = runCheckTemplate([template], { minRetentionDays: '365', requireKmsEncryption: true }, io);
    // Assess
    expect(code).toBe(CHECK_TEMPLATE_EXIT.fail);
    const found = out.map((line) => line.split(':')[0]).sort();
    expect(found).toEqual(
      ['BySub', 'ByJoin', 'ByName']
        .flatMap((id) => [
          `FAIL ${template} ${id} CLIENT_VPN_CONNECTION_LOG_GROUP_RETENTION`,
          `FAIL ${template} ${id} CLIENT_VPN_CONNECTION_LOG_GROUP_KMS_KEY`,
        ])
        .sort(),
    );
    expect(out.join('')).not.toContain('not declared');
  });

  it('fails (exit 1) on groups named through Fn::Sub maps, Fn::Join and Fn::Select, never saying an intrinsic is "not declared"', () => {
    // Prepare
    const template = path.join(FIXTURES, 'intrinsic-log-groups.yaml');
    const { io, out } = captureIo();
    // Act
    const code = runCheckTemplate(
      [template],
      { minRetentionDays: '365', requireKmsEncryption: true, logGroupNamePrefix: '/aws/clientvpn/' },
      io,
    );
    // Assess: the shadowed Fn::Sub is the map's name, /aws/lambda/other, not the compliant group.
    expect(code).toBe(CHECK_TEMPLATE_EXIT.fail);
    const failures = out.filter((line) => line.startsWith('FAIL ')).map((line) => line.split(':')[0]);
    expect(failures.sort()).toEqual(
      [
        ...['BySubMap', 'ByJoinOfRefAndEmpty', 'BySelect'].flatMap((id) => [
          `FAIL ${template} ${id} CLIENT_VPN_CONNECTION_LOG_GROUP_RETENTION`,
          `FAIL ${template} ${id} CLIENT_VPN_CONNECTION_LOG_GROUP_KMS_KEY`,
        ]),
        `FAIL ${template} BySelect CLIENT_VPN_CONNECTION_LOG_GROUP_PREFIX`,
        `FAIL ${template} ByShadowedSub CLIENT_VPN_CONNECTION_LOG_GROUP_PREFIX`,
      ].sort(),
    );
    expect(out.filter((line) => line.includes('not declared')).map((line) => line.split(':')[0])).toEqual([
      `WARN ${template} ByShadowedSub CLIENT_VPN_CONNECTION_LOG_GROUP_IN_TEMPLATE`,
    ]);
    expect(out.join('')).toContain('hides the group behind an intrinsic the policy cannot resolve');
  });

  it('fails (exit 1) every group whose KmsKeyId may be no key: NoValue branch, empty Sub or Join, blank, parameter', () => {
    // Prepare
    const template = path.join(FIXTURES, 'kms-key-not-there.yaml');
    const { io, out } = captureIo();
    // Act
    const code = runCheckTemplate([template], { requireKmsEncryption: true }, io);
    // Assess
    expect(code).toBe(CHECK_TEMPLATE_EXIT.fail);
    expect(out.map((line) => line.split(':')[0]).sort()).toEqual(
      ['IfNoValue', 'EmptySub', 'EmptyJoin', 'Blank', 'EmptyDefault', 'SetDefault']
        .map((id) => `FAIL ${template} ${id} CLIENT_VPN_CONNECTION_LOG_GROUP_KMS_KEY`)
        .sort(),
    );
  });

  it('accepts Enabled as True, TRUE, "True" and "TRUE", as CloudFormation and cfn-lint do', () => {
    // Prepare
    const { io, out, err } = captureIo();
    // Act
    const code = runCheckTemplate([path.join(FIXTURES, 'cloudformation-booleans.yaml')], {}, io);
    // Assess
    expect(code).toBe(CHECK_TEMPLATE_EXIT.pass);
    expect(out).toEqual([]);
    expect(err.join('')).toContain('4 endpoint(s) judged, 0 failure(s), 0 warning(s): PASS\n');
  });

  it('reads a folder of templates (*.template.json, *.json, *.yaml, *.yml) and says a PASS over 0 endpoints', () => {
    // Prepare: a folder that is not a cloud assembly, with a template of each kind and none with an endpoint
    const folder = path.join(scratch, 'templates');
    mkdirSync(path.join(folder, 'more'), { recursive: true });
    const empty = { Resources: { Topic: { Type: 'AWS::SNS::Topic' } } };
    for (const name of ['a.template.json', 'b.json', 'c.yaml', path.join('more', 'd.yml')])
      writeFileSync(path.join(folder, name), JSON.stringify(empty));
    writeFileSync(path.join(folder, 'notes.txt'), 'not a template');
    const { io, err } = captureIo();
    // Act
    const code = runCheckTemplate([folder], {}, io);
    // Assess
    expect(code).toBe(CHECK_TEMPLATE_EXIT.pass);
    expect(err.join('')).toContain(
      '4 template(s), 0 endpoint(s) judged, 0 failure(s), 0 warning(s): PASS (no Client VPN endpoint to judge)',
    );
  });

  it.each([
    [{ minRetentionDays: 'ten' }, 'minRetentionDays'],
    [{ ruleParameters: '{"unknown":"1"}' }, 'unknown'],
    [{ ruleParameters: 'not json' }, '--rule-parameters'],
    [{ ruleParameters: '{"verifyLogGroup":"false","minRetentionDays":"30"}' }, 'needs verifyLogGroup'],
  ])('exits 2 on bad parameters %j', (options, message) => {
    // Prepare
    const { io, err } = captureIo();
    // Act / Assess
    expect(runCheckTemplate([COMPLIANT], options, io)).toBe(CHECK_TEMPLATE_EXIT.unreadable);
    expect(err.join('')).toContain(message);
  });
});

describe('checkTemplateCommand', () => {
  it('parses its arguments and options into a run', () => {
    // Prepare
    const { io, out, exit } = captureIo();
    // Act
    checkTemplateCommand(io).parse([NON_COMPLIANT, '--min-retention-days', '30'], { from: 'user' });
    // Assess
    expect(exit).toEqual([1]);
    expect(out.join('')).toContain('LoggingOff CLIENT_VPN_CONNECTION_LOGGING_ENABLED');
  });

  it('turns a usage error into a CommanderError with exit status 2', () => {
    // Prepare
    const command = checkTemplateCommand(captureIo().io).configureOutput({ writeErr: () => undefined });
    // Act / Assess
    expect(() => command.parse(['--unknown-option', COMPLIANT], { from: 'user' })).toThrow(
      expect.objectContaining({ exitCode: 2 }) as CommanderError,
    );
  });
});

describe('client-vpn-logging check-template in a fresh process', () => {
  let outdir: string;
  beforeAll(() => {
    // Prepare: this project's own cloud assembly, as `npm run synth` writes it (here, with the hook stack too).
    outdir = mkdtempSync(path.join(tmpdir(), 'check-template-cdk-out-'));
    buildApp({ outdir, context: { guardHook: 'true' } }).synth();
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('passes this project cdk.out (no Client VPN endpoint of its own) and exits 0', () => {
    // Act
    const result = runEntryPoint('check-template', outdir);
    // Assess
    expect(result).toMatchObject({ status: 0, stdout: '' });
    expect(result.stderr).toContain(
      '4 template(s), 0 endpoint(s) judged, 0 failure(s), 0 warning(s): PASS (no Client VPN endpoint to judge)',
    );
  });

  it('exits 1 on a non-compliant fixture, printing one line per finding', () => {
    // Act
    const result = runEntryPoint('check-template', COMPLIANT, NON_COMPLIANT);
    // Assess
    expect(result.status).toBe(1);
    expect(result.stdout.trim().split('\n')).toHaveLength(3);
  });

  it.each([
    ['a Fn::ForEach endpoint', path.join(FIXTURES, 'unseen', 'for-each-endpoints.yaml'), 2, 'INCOMPLETE'],
    ['a template-level macro', path.join(FIXTURES, 'unseen', 'template-macro.yaml'), 2, 'INCOMPLETE'],
    ['a remote nested stack', path.join(FIXTURES, 'unseen', 'remote-nested-stack.yaml'), 2, 'INCOMPLETE'],
    ['a local nested stack with logging off', path.join(FIXTURES, 'local-nested-stack.yaml'), 1, 'FAIL'],
  ])('refuses %s through the bin, exiting %i', (_name, template, status, word) => {
    // Act
    const result = runEntryPoint('check-template', template);
    // Assess
    expect(result.status).toBe(status);
    expect(result.stderr).toContain(`: ${word}\n`);
  });

  it('exits 2 on unreadable input and on a usage error', () => {
    // Act
    const unreadable = runEntryPoint('check-template', path.join(FIXTURES, 'unparsable.yaml'));
    const usage = runEntryPoint('check-template');
    // Assess
    expect(unreadable.status).toBe(2);
    expect(unreadable.stderr).toContain('not JSON or YAML');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("missing required argument 'templates'");
  });
});
