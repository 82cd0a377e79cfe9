import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  isTerraformJson,
  MalformedTerraformPlanError,
  parseTerraformPlan,
  type TerraformPlan,
} from '../../policy/terraform-plan';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'terraform');

function fixture(name: string): TerraformPlan {
  return parseTerraformPlan(name, readFileSync(path.join(FIXTURES, name), 'utf8'));
}

describe('parseTerraformPlan', () => {
  it.each([
    ['provider-5-root-compliant.json', ['aws_ec2_client_vpn_endpoint.corp']],
    [
      'provider-6-child-modules.json',
      [
        'module.network.aws_ec2_client_vpn_endpoint.this',
        'module.network.module.vpn["eu"].aws_ec2_client_vpn_endpoint.this',
      ],
    ],
    [
      'provider-6-deletions.json',
      ['aws_ec2_client_vpn_endpoint.uses_old', 'aws_ec2_client_vpn_endpoint.replaced'],
    ],
    ['provider-6-deletes-only-endpoint.json', []],
  ])('finds every endpoint %s leaves in place, at any module depth, by full address', (name, addresses) => {
    // Act
    const plan = fixture(name);
    // Assess
    expect(plan.endpoints.map((endpoint) => endpoint.address)).toEqual(addresses);
  });

  it('gives each endpoint its module instance address and reads connection_log_options[0]', () => {
    // Act
    const [, nested] = fixture('provider-6-child-modules.json').endpoints;
    // Assess
    expect(nested).toMatchObject({
      moduleAddress: 'module.network.module.vpn["eu"]',
      name: 'this',
      enabled: { state: 'known', value: false },
      logGroup: { state: 'absent' },
      region: { state: 'known', value: 'eu-west-1' },
    });
  });

  it('reads provider 5.x resources, which have no region, as region absent', () => {
    // Act
    const plan = fixture('provider-5-root-compliant.json');
    // Assess
    expect(plan.endpoints[0].region).toEqual({ state: 'absent' });
    expect(plan.logGroups[0]).toMatchObject({
      groupName: { state: 'known', value: '/aws/clientvpn/corp' },
      retentionInDays: { state: 'known', value: 365 },
      kmsKeyId: { state: 'known', value: expect.stringMatching(/^arn:aws:kms:/) },
    });
  });

  it('marks what after_unknown says is unknown until apply as unknown, not absent', () => {
    // Act
    const plan = fixture('provider-6-unknown-log-group-name.json');
    // Assess
    expect(plan.endpoints[0].logGroup).toEqual({ state: 'unknown' });
    expect(plan.endpoints[0].logStream).toEqual({ state: 'absent' });
    expect(plan.logGroups[0]).toMatchObject({
      groupName: { state: 'unknown' },
      namePrefix: { state: 'known', value: '/aws/clientvpn/' },
      kmsKeyId: { state: 'unknown' },
    });
  });

  it('reads a whole connection_log_options block unknown until apply (a dynamic block) as unknown', () => {
    // Prepare
    const text = JSON.stringify({
      format_version: '1.2',
      planned_values: {
        root_module: {
          resources: [
            {
              address: 'aws_ec2_client_vpn_endpoint.vpn',
              mode: 'managed',
              type: 'aws_ec2_client_vpn_endpoint',
              name: 'vpn',
              values: {},
            },
          ],
        },
      },
      resource_changes: [
        {
          address: 'aws_ec2_client_vpn_endpoint.vpn',
          change: { actions: ['create'], after: {}, after_unknown: { connection_log_options: true } },
        },
      ],
    });
    // Act
    const [endpoint] = parseTerraformPlan('plan.json', text).endpoints;
    // Assess
    expect(endpoint).toMatchObject({
      enabled: { state: 'unknown' },
      logGroup: { state: 'unknown' },
      logStream: { state: 'unknown' },
    });
  });

  it('lists what the plan deletes, but not the old half of a replacement', () => {
    // Act
    const plan = fixture('provider-6-deletions.json');
    // Assess
    expect(plan.deleted).toEqual([
      { address: 'aws_ec2_client_vpn_endpoint.retired', type: 'aws_ec2_client_vpn_endpoint' },
      {
        address: 'aws_cloudwatch_log_group.old',
        type: 'aws_cloudwatch_log_group',
        logGroupName: '/aws/clientvpn/old',
      },
    ]);
  });

  it.each([
    ['malformed-truncated.json', /not JSON/],
    ['malformed-format-version-2.json', /format_version 2\.0 is not supported/],
    ['malformed-state-not-plan.json', /a Terraform state, not a plan/],
    ['malformed-resources-not-a-list.json', /planned_values\.root_module\.resources is not a list/],
    ['malformed-enabled-not-boolean.json', /aws_ec2_client_vpn_endpoint\.corp .*enabled is "yes"/],
    ['malformed-incomplete-deferred.json', /marks this plan as incomplete \("complete": false/],
    [
      'malformed-planned-values-empty.json',
      /resource_changes create aws_ec2_client_vpn_endpoint\.corp, which planned_values does not list/,
    ],
    ['malformed-mode-not-documented.json', /mode "Managed", not one the format documents/],
    ['malformed-retention-negative.json', /aws_cloudwatch_log_group\.vpn .*retention_in_days is -1/],
    [
      'malformed-retention-not-accepted.json',
      /aws_cloudwatch_log_group\.vpn .*retention_in_days is 1000000000/,
    ],
    [
      'malformed-known-and-unknown.json',
      /connection_log_options\.0\.enabled both known \(true\) and marked unknown/,
    ],
  ])('refuses %s, naming the problem', (name, problem) => {
    // Act
    const parse = (): TerraformPlan => fixture(name);
    // Assess
    expect(parse).toThrow(MalformedTerraformPlanError);
    expect(parse).toThrow(problem);
  });

  it.each([
    ['an array', '[]', /expected a JSON object/],
    ['no format_version', '{"planned_values":{}}', /no format_version/],
    ['no planned_values', '{"format_version":"1.2"}', /no planned_values/],
    [
      'an errored plan',
      '{"format_version":"1.2","planned_values":{"root_module":{}},"errored":true}',
      /marks this plan as errored/,
    ],
    [
      'a child module without its address',
      '{"format_version":"1.2","planned_values":{"root_module":{"child_modules":[{"resources":[]}]}}}',
      /child_modules\[0\] has no address/,
    ],
    [
      'a resource change without actions',
      '{"format_version":"1.2","planned_values":{"root_module":{}},"resource_changes":[{"address":"a.b","change":{}}]}',
      /resource_changes\[0\] lacks/,
    ],
    [
      'a format_version that is not major.minor',
      '{"format_version":"1.x","planned_values":{"root_module":{}}}',
      /format_version "1\.x" is not "major\.minor"/,
    ],
    [
      'errored as a string',
      '{"format_version":"1.2","planned_values":{"root_module":{}},"errored":"true"}',
      /errored is "true", not true or false/,
    ],
    [
      'complete as a string',
      '{"format_version":"1.2","planned_values":{"root_module":{}},"complete":"false"}',
      /complete is "false", not true or false/,
    ],
    [
      'a resource listed twice in planned_values',
      '{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"a.b","type":"a","name":"b"},{"address":"a.b","type":"a","name":"b"}]}}}',
      /planned_values lists a\.b more than once/,
    ],
    [
      'deferred changes listed without complete',
      '{"format_version":"1.2","planned_values":{"root_module":{}},"deferred_changes":[{"reason":"provider_config_unknown"}]}',
      /marks this plan as incomplete/,
    ],
    [
      'a change with an undocumented mode',
      '{"format_version":"1.2","planned_values":{"root_module":{}},"resource_changes":[{"address":"a.b","mode":"MANAGED","change":{"actions":["delete"]}}]}',
      /resource_changes\[0\] has mode "MANAGED"/,
    ],
  ])('refuses %s', (_, text, problem) => {
    // Act / Assess
    expect(() => parseTerraformPlan('-', text)).toThrow(problem);
  });

  it.each([0, 1, 365, 3653])('reads retention_in_days %i, a value CloudWatch Logs accepts', (days) => {
    // Prepare
    const text = readFileSync(path.join(FIXTURES, 'provider-5-root-compliant.json'), 'utf8').replace(
      /"retention_in_days": 365/g,
      `"retention_in_days": ${days}`,
    );
    // Act
    const plan = parseTerraformPlan('plan.json', text);
    // Assess
    expect(plan.logGroups[0].retentionInDays).toEqual({ state: 'known', value: days });
  });

  it('names standard input as such in its errors', () => {
    // Act / Assess
    expect(() => parseTerraformPlan('-', 'nope')).toThrow(
      'Cannot read Terraform plan (standard input): not JSON',
    );
  });
});

describe('isTerraformJson', () => {
  it.each([
    [{ format_version: '1.2', planned_values: {} }, true],
    [{ format_version: '1.0', values: {} }, true],
    [{ Resources: {} }, false],
    [[], false],
    [null, false],
  ])('tells Terraform output (%j) from a template', (body, expected) => {
    expect(isTerraformJson(body)).toBe(expected);
  });
});
