import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseRuleParameters } from '../../rule/parameters';
import { parseTerraformPlan, type TerraformPlan } from '../../policy/terraform-plan';
import {
  judgeTerraformPlan,
  PLAN_FINDING_RULES,
  type PlanFinding,
} from '../../policy/terraform-plan-judgement';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'terraform');
const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function fixture(name: string): TerraformPlan {
  return parseTerraformPlan(name, readFileSync(path.join(FIXTURES, name), 'utf8'));
}

const parameters = (given: Record<string, string> = {}) => parseRuleParameters(JSON.stringify(given));

const summary = (findings: readonly PlanFinding[]): string[] =>
  findings.map((finding) => `${finding.severity} ${finding.address} ${finding.rule}`);

interface Resource {
  readonly module?: string;
  readonly type: string;
  readonly name: string;
  /** The instance key, as the address writes it (`[0]`). */
  readonly key?: string;
  readonly values: Record<string, unknown>;
  readonly afterUnknown?: Record<string, unknown>;
}

// A plan in the documented JSON format, from resources grouped by module instance address.
function planOf(resources: readonly Resource[], configuration: unknown = {}): TerraformPlan {
  const addressOf = (r: Resource): string =>
    `${r.module ? `${r.module}.` : ''}${r.type}.${r.name}${r.key ?? ''}`;
  const modules = [...new Set(resources.map((r) => r.module ?? ''))];
  const moduleObject = (address: string) => ({
    ...(address === '' ? {} : { address }),
    resources: resources
      .filter((r) => (r.module ?? '') === address)
      .map((r) => ({ address: addressOf(r), mode: 'managed', type: r.type, name: r.name, values: r.values })),
  });
  const text = JSON.stringify({
    format_version: '1.2',
    planned_values: {
      root_module: {
        ...moduleObject(''),
        child_modules: modules.filter((m) => m !== '').map(moduleObject),
      },
    },
    resource_changes: resources.map((r) => ({
      address: addressOf(r),
      type: r.type,
      mode: 'managed',
      change: { actions: ['create'], after: r.values, after_unknown: r.afterUnknown ?? {} },
    })),
    configuration,
  });
  return parseTerraformPlan('plan.json', text);
}

const endpoint = (log: Record<string, unknown>, extra: Partial<Resource> = {}): Resource => ({
  type: 'aws_ec2_client_vpn_endpoint',
  name: 'vpn',
  values: { connection_log_options: [log] },
  ...extra,
});
const group = (values: Record<string, unknown>, extra: Partial<Resource> = {}): Resource => ({
  type: 'aws_cloudwatch_log_group',
  name: 'logs',
  values,
  ...extra,
});

describe('judgeTerraformPlan', () => {
  it.each([
    ['provider-5-root-compliant.json', {}, []],
    ['provider-6-root-compliant.json', { minRetentionDays: '365', requireKmsEncryption: 'true' }, []],
    [
      'provider-5-root-failing.json',
      { minRetentionDays: '90' },
      [
        'failure aws_ec2_client_vpn_endpoint.corp CLIENT_VPN_CONNECTION_LOGGING',
        'failure aws_ec2_client_vpn_endpoint.lab CLIENT_VPN_CONNECTION_LOGGING',
      ],
    ],
    [
      'provider-6-child-modules.json',
      { minRetentionDays: '400', requireKmsEncryption: 'true' },
      [
        'failure module.network.module.vpn["eu"].aws_ec2_client_vpn_endpoint.this CLIENT_VPN_CONNECTION_LOGGING',
      ],
    ],
    [
      'provider-5-unknown-enabled.json',
      {},
      ['undetermined aws_ec2_client_vpn_endpoint.corp CLIENT_VPN_CONNECTION_LOG_KNOWN_BEFORE_APPLY'],
    ],
    ['provider-5-log-group-outside-plan.json', {}, []],
    [
      'provider-5-log-group-outside-plan.json',
      { minRetentionDays: '90' },
      ['warning aws_ec2_client_vpn_endpoint.corp CLIENT_VPN_CONNECTION_LOG_GROUP_IN_PLAN'],
    ],
    [
      'provider-5-log-group-outside-plan.json',
      { verifyDelivery: 'true' },
      ['warning aws_ec2_client_vpn_endpoint.corp CLIENT_VPN_CONNECTION_LOG_KNOWN_BEFORE_APPLY'],
    ],
    [
      'provider-6-deletions.json',
      {},
      ['failure aws_ec2_client_vpn_endpoint.uses_old CLIENT_VPN_CONNECTION_LOG_GROUP_DELETED'],
    ],
    ['provider-6-deletes-only-endpoint.json', {}, []],
    ['provider-6-unknown-log-group-name.json', {}, []],
    [
      'provider-6-unknown-log-group-name.json',
      { minRetentionDays: '90', requireKmsEncryption: 'true' },
      [
        'warning module.vpn.aws_ec2_client_vpn_endpoint.this CLIENT_VPN_CONNECTION_LOG_KNOWN_BEFORE_APPLY',
        'failure module.vpn.aws_ec2_client_vpn_endpoint.this CLIENT_VPN_CONNECTION_LOGGING',
      ],
    ],
  ])('judges %s with %j as %j', (name, given, expected) => {
    // Act
    const judgement = judgeTerraformPlan(fixture(name), parameters(given));
    // Assess
    expect(summary(judgement.findings)).toEqual(expected);
  });

  it('fails an enabled endpoint whose group in the plan keeps events too briefly, with the decision annotation', () => {
    // Act
    const { findings } = judgeTerraformPlan(
      fixture('provider-5-root-failing.json'),
      parameters({ minRetentionDays: '90' }),
    );
    // Assess
    expect(findings[0].message).toBe(
      'Log group "/aws/clientvpn/corp" keeps events 7 days, minRetentionDays requires 90. Fix: set its retention to at least 90 days.',
    );
  });

  it('finds a group whose name is unknown until apply through references, across a module variable', () => {
    // Act
    const { findings } = judgeTerraformPlan(
      fixture('provider-6-unknown-log-group-name.json'),
      parameters({ minRetentionDays: '90', requireKmsEncryption: 'true' }),
    );
    // Assess
    expect(findings.map((finding) => finding.message)).toEqual([
      expect.stringContaining('aws_cloudwatch_log_group.vpn.kms_key_id is unknown until apply'),
      expect.stringContaining(
        '"aws_cloudwatch_log_group.vpn" keeps events 30 days, minRetentionDays requires 90',
      ),
    ]);
  });

  it('does not judge endpoints the plan deletes, but lists them', () => {
    // Act
    const judgement = judgeTerraformPlan(fixture('provider-6-deletes-only-endpoint.json'), parameters());
    // Assess
    expect(judgement.endpoints).toEqual([]);
    expect(judgement.deletedEndpoints).toEqual(['aws_ec2_client_vpn_endpoint.retired']);
  });

  it.each([
    ['retention_in_days 0 (never expires)', { retention_in_days: 0 }, []],
    ['no retention_in_days (never expires)', {}, []],
    ['retention_in_days below the minimum', { retention_in_days: 30 }, ['failure']],
    ['retention_in_days at the minimum', { retention_in_days: 90 }, []],
  ])('judges a group in the plan with %s', (_, values, expected) => {
    // Prepare
    const plan = planOf([
      endpoint({ enabled: true, cloudwatch_log_group: '/vpn' }),
      group({ name: '/vpn', ...values }),
    ]);
    // Act
    const { findings } = judgeTerraformPlan(plan, parameters({ minRetentionDays: '90' }));
    // Assess
    expect(findings.map((finding) => finding.severity)).toEqual(expected);
  });

  it.each([
    ['no kms_key_id', {}, ['failure']],
    ['an empty kms_key_id', { kms_key_id: '' }, ['failure']],
    ['a kms_key_id', { kms_key_id: KEY }, []],
  ])('judges requireKmsEncryption on a group with %s', (_, values, expected) => {
    // Prepare
    const plan = planOf([
      endpoint({ enabled: true, cloudwatch_log_group: '/vpn' }),
      group({ name: '/vpn', ...values }),
    ]);
    // Act
    const { findings } = judgeTerraformPlan(plan, parameters({ requireKmsEncryption: 'true' }));
    // Assess
    expect(findings.map((finding) => finding.severity)).toEqual(expected);
  });

  it.each([
    ['enabled false', { enabled: false, cloudwatch_log_group: '/vpn' }, /Connection logging is disabled/],
    [
      'enabled false and a group ARN',
      { enabled: false, cloudwatch_log_group: 'arn:aws:logs:eu-west-1:111122223333:log-group:/vpn' },
      /Connection logging is disabled/,
    ],
    ['no connection_log_options values', {}, /Connection logging is disabled/],
    ['enabled but no group', { enabled: true }, /names no CloudWatch Logs group/],
    [
      'a group ARN',
      { enabled: true, cloudwatch_log_group: 'arn:aws:logs:eu-west-1:111122223333:log-group:/vpn' },
      /takes the log group's name/,
    ],
  ])('fails an endpoint with %s', (_, log, message) => {
    // Act
    const { findings } = judgeTerraformPlan(planOf([endpoint(log)]), parameters());
    // Assess
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'failure',
      address: 'aws_ec2_client_vpn_endpoint.vpn',
      message: expect.stringMatching(message),
    });
  });

  it.each([
    ['a name with the prefix', '/org/vpn/corp', []],
    ['a name without the prefix', '/vpn/corp', ['failure']],
  ])('judges logGroupNamePrefix on %s', (_, name, expected) => {
    // Act
    const { findings } = judgeTerraformPlan(
      planOf([endpoint({ enabled: true, cloudwatch_log_group: name })]),
      parameters({ logGroupNamePrefix: '/org/' }),
    );
    // Assess
    expect(findings.map((finding) => finding.severity)).toEqual(expected);
  });

  describe('with the group name unknown until apply', () => {
    const configuration = (expression: unknown, module?: { name: string; call: unknown }) => {
      const vpn = {
        resources: [
          {
            address: 'aws_ec2_client_vpn_endpoint.vpn',
            expressions: { connection_log_options: [{ cloudwatch_log_group: expression }] },
          },
        ],
      };
      return module
        ? { root_module: { module_calls: { [module.name]: { ...(module.call as object), module: vpn } } } }
        : { root_module: vpn };
    };
    const unknownName = { afterUnknown: { connection_log_options: [{ cloudwatch_log_group: true }] } };

    it.each([
      ['a name_prefix with the prefix', '/org/vpn-', []],
      ['a name_prefix that rules the prefix out', '/vpn/', ['failure']],
      ['a name_prefix shorter than the prefix', '/or', ['warning']],
    ])('judges logGroupNamePrefix from %s', (_, namePrefix, expected) => {
      // Prepare
      const plan = planOf(
        [
          endpoint({ enabled: true }, unknownName),
          group({ name_prefix: namePrefix }, { afterUnknown: { name: true } }),
        ],
        configuration({
          references: ['aws_cloudwatch_log_group.logs.name', 'aws_cloudwatch_log_group.logs'],
        }),
      );
      // Act
      const { findings } = judgeTerraformPlan(plan, parameters({ logGroupNamePrefix: '/org/' }));
      // Assess
      expect(findings.map((finding) => finding.severity)).toEqual(expected);
    });

    it('judges logGroupNamePrefix from name_prefix with verifyLogGroup false too', () => {
      // Prepare
      const plan = planOf(
        [
          endpoint({ enabled: true }, unknownName),
          group({ name_prefix: '/vpn/' }, { afterUnknown: { name: true } }),
        ],
        configuration({
          references: ['aws_cloudwatch_log_group.logs.name', 'aws_cloudwatch_log_group.logs'],
        }),
      );
      // Act
      const { findings } = judgeTerraformPlan(
        plan,
        parameters({ logGroupNamePrefix: '/org/', verifyLogGroup: 'false' }),
      );
      // Assess
      expect(findings.map((finding) => finding.severity)).toEqual(['failure']);
    });

    it('follows a module output to a group in a child module', () => {
      // Prepare: the endpoint is in the root; the group in module.logs, named by its output.
      const plan = planOf(
        [
          endpoint({ enabled: true }, unknownName),
          group({ retention_in_days: 1 }, { module: 'module.logs', afterUnknown: { name: true } }),
        ],
        {
          root_module: {
            resources: [
              {
                address: 'aws_ec2_client_vpn_endpoint.vpn',
                expressions: {
                  connection_log_options: [
                    { cloudwatch_log_group: { references: ['module.logs.name', 'module.logs'] } },
                  ],
                },
              },
            ],
            module_calls: {
              logs: {
                module: {
                  outputs: {
                    name: {
                      expression: {
                        references: ['aws_cloudwatch_log_group.logs.name', 'aws_cloudwatch_log_group.logs'],
                      },
                    },
                  },
                },
              },
            },
          },
        },
      );
      // Act
      const { findings } = judgeTerraformPlan(plan, parameters({ minRetentionDays: '7' }));
      // Assess
      expect(findings).toEqual([
        expect.objectContaining({
          severity: 'failure',
          message: expect.stringContaining('"module.logs.aws_cloudwatch_log_group.logs" keeps events 1 day'),
        }),
      ]);
    });

    it('fails a reference to the group ARN, which the argument does not take', () => {
      // Prepare
      const plan = planOf(
        [endpoint({ enabled: true }, unknownName), group({}, { afterUnknown: { name: true } })],
        configuration({ references: ['aws_cloudwatch_log_group.logs.arn', 'aws_cloudwatch_log_group.logs'] }),
      );
      // Act
      const { findings } = judgeTerraformPlan(plan, parameters());
      // Assess
      expect(summary(findings)).toEqual([
        `failure aws_ec2_client_vpn_endpoint.vpn ${PLAN_FINDING_RULES.logGroupArn}`,
      ]);
    });

    it.each([
      ['a local value', { references: ['local.log_group'] }],
      [
        'a group name and a local value (an interpolation)',
        {
          references: ['aws_cloudwatch_log_group.logs.name', 'aws_cloudwatch_log_group.logs', 'local.suffix'],
        },
      ],
      [
        'two groups (a conditional)',
        { references: ['aws_cloudwatch_log_group.a.name', 'aws_cloudwatch_log_group.b.name'] },
      ],
      ['no configuration', undefined],
    ])('warns, naming the attribute, when it refers to %s', (_, expression) => {
      // Prepare: the plan's group keeps events 1 day, which would fail were it taken for the endpoint's.
      const plan = planOf(
        [
          endpoint({ enabled: true }, unknownName),
          group({ retention_in_days: 1 }, { afterUnknown: { name: true } }),
        ],
        configuration(expression),
      );
      // Act
      const { findings } = judgeTerraformPlan(plan, parameters({ minRetentionDays: '90' }));
      // Assess
      expect(findings).toEqual([
        expect.objectContaining({
          severity: 'warning',
          rule: PLAN_FINDING_RULES.unknownUntilApply,
          message: expect.stringMatching(
            /^connection_log_options\[0\]\.cloudwatch_log_group is unknown until apply/,
          ),
        }),
      ]);
    });

    it('does not pick one of several instances of a counted group', () => {
      // Prepare
      const plan = planOf(
        [
          endpoint({ enabled: true }, unknownName),
          group({ retention_in_days: 1 }, { key: '[0]', afterUnknown: { name: true } }),
          group({ retention_in_days: 1 }, { key: '[1]', afterUnknown: { name: true } }),
        ],
        configuration({ references: ['aws_cloudwatch_log_group.logs', 'count.index'] }),
      );
      // Act
      const { findings } = judgeTerraformPlan(plan, parameters({ minRetentionDays: '90' }));
      // Assess
      expect(findings.map((finding) => finding.severity)).toEqual(['warning']);
    });
  });

  it('takes the instance a keyed reference names', () => {
    // Prepare
    const plan = planOf(
      [
        endpoint(
          { enabled: true },
          { afterUnknown: { connection_log_options: [{ cloudwatch_log_group: true }] } },
        ),
        group({ retention_in_days: 365 }, { key: '[0]', afterUnknown: { name: true } }),
        group({ retention_in_days: 1 }, { key: '[1]', afterUnknown: { name: true } }),
      ],
      {
        root_module: {
          resources: [
            {
              address: 'aws_ec2_client_vpn_endpoint.vpn',
              expressions: {
                connection_log_options: [
                  {
                    cloudwatch_log_group: {
                      references: [
                        'aws_cloudwatch_log_group.logs[1].name',
                        'aws_cloudwatch_log_group.logs[1]',
                        'aws_cloudwatch_log_group.logs',
                      ],
                    },
                  },
                ],
              },
            },
          ],
        },
      },
    );
    // Act
    const { findings } = judgeTerraformPlan(plan, parameters({ minRetentionDays: '90' }));
    // Assess
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'failure',
        message: expect.stringContaining('"aws_cloudwatch_log_group.logs[1]" keeps events 1 day'),
      }),
    ]);
  });

  it('does not take a group of another region (provider 6.x region) for the endpoint group', () => {
    // Prepare
    const plan = planOf([
      endpoint(
        { enabled: true, cloudwatch_log_group: '/vpn' },
        {
          values: {
            region: 'eu-west-1',
            connection_log_options: [{ enabled: true, cloudwatch_log_group: '/vpn' }],
          },
        },
      ),
      group({ name: '/vpn', retention_in_days: 1, region: 'us-east-1' }),
    ]);
    // Act
    const { findings } = judgeTerraformPlan(plan, parameters({ minRetentionDays: '90' }));
    // Assess
    expect(summary(findings)).toEqual([
      `warning aws_ec2_client_vpn_endpoint.vpn ${PLAN_FINDING_RULES.logGroupNotInPlan}`,
    ]);
  });

  describe('with two log groups of the endpoint group name (provider aliases)', () => {
    it('cannot judge the endpoint when the groups are judged differently, naming both, in either order', () => {
      // Prepare
      const text = readFileSync(path.join(FIXTURES, 'provider-5-same-group-name-twice.json'), 'utf8');
      const plan = parseTerraformPlan('plan.json', text);
      const reversed = { ...plan, logGroups: [...plan.logGroups].reverse() };
      const given = parameters({ minRetentionDays: '365', requireKmsEncryption: 'true' });
      // Act
      const judged = [judgeTerraformPlan(plan, given), judgeTerraformPlan(reversed, given)];
      // Assess
      for (const { findings } of judged) {
        expect(summary(findings)).toEqual([
          `undetermined aws_ec2_client_vpn_endpoint.corp ${PLAN_FINDING_RULES.logGroupAmbiguous}`,
        ]);
        expect(findings[0].message).toContain(
          'aws_cloudwatch_log_group.vpn, aws_cloudwatch_log_group.vpn_us',
        );
      }
    });

    it.each([
      ['both keep events long enough: pass', 365, 400, []],
      [
        'both keep events too briefly: fail',
        1,
        3,
        [
          `failure aws_ec2_client_vpn_endpoint.vpn ${PLAN_FINDING_RULES.connectionLogging}`,
          `failure aws_ec2_client_vpn_endpoint.vpn ${PLAN_FINDING_RULES.connectionLogging}`,
        ],
      ],
    ])('judges the endpoint when %s', (_, first, second, expected) => {
      // Prepare
      const plan = planOf([
        endpoint({ enabled: true, cloudwatch_log_group: '/vpn' }),
        group({ name: '/vpn', retention_in_days: first }),
        group({ name: '/vpn', retention_in_days: second }, { name: 'logs_us' }),
      ]);
      // Act
      const { findings } = judgeTerraformPlan(plan, parameters({ minRetentionDays: '90' }));
      // Assess
      expect(summary(findings)).toEqual(expected);
    });
  });

  it.each([
    ['the endpoint only', { region: 'us-east-1' }, {}],
    ['the group only', {}, { region: 'us-east-1' }],
  ])(
    'does not take a group for the endpoint group when provider 6.x region is on %s',
    (_, endpointRegion, groupRegion) => {
      // Prepare
      const plan = planOf([
        endpoint(
          { enabled: true, cloudwatch_log_group: '/vpn' },
          {
            values: {
              ...endpointRegion,
              connection_log_options: [{ enabled: true, cloudwatch_log_group: '/vpn' }],
            },
          },
        ),
        group({ name: '/vpn', retention_in_days: 1, ...groupRegion }),
      ]);
      // Act
      const { findings } = judgeTerraformPlan(plan, parameters({ minRetentionDays: '90' }));
      // Assess
      expect(summary(findings)).toEqual([
        `warning aws_ec2_client_vpn_endpoint.vpn ${PLAN_FINDING_RULES.logGroupNotInPlan}`,
      ]);
    },
  );

  it('warns that the group of an endpoint with region, logging to a group without, is judged after apply', () => {
    // Act
    const { findings } = judgeTerraformPlan(
      fixture('provider-6-region-on-endpoint-only.json'),
      parameters({ minRetentionDays: '365', requireKmsEncryption: 'true' }),
    );
    // Assess
    expect(summary(findings)).toEqual([
      `warning aws_ec2_client_vpn_endpoint.corp ${PLAN_FINDING_RULES.logGroupNotInPlan}`,
    ]);
  });

  it.each([' ', '', '\t'])('does not count a blank kms_key_id (%j) as a key', (key) => {
    // Prepare
    const plan = planOf([
      endpoint({ enabled: true, cloudwatch_log_group: '/vpn' }),
      group({ name: '/vpn', retention_in_days: 365, kms_key_id: key }),
    ]);
    // Act
    const { findings } = judgeTerraformPlan(plan, parameters({ requireKmsEncryption: 'true' }));
    // Assess
    expect(summary(findings)).toEqual([
      `failure aws_ec2_client_vpn_endpoint.vpn ${PLAN_FINDING_RULES.connectionLogging}`,
    ]);
  });

  it('leaves the group alone when verifyLogGroup is false, as the rule does', () => {
    // Prepare
    const plan = planOf([endpoint({ enabled: true, cloudwatch_log_group: '/vpn' })]);
    // Act
    const { findings } = judgeTerraformPlan(plan, parameters({ verifyLogGroup: 'false' }));
    // Assess
    expect(findings).toEqual([]);
  });
});
