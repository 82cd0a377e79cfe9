import { loadRunbook } from '../../remediation/runbook';
import { CLOUDWATCH_RETENTION_DAYS } from '../../rule/cloudwatch-logs-limits';
import { App } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { buildApp } from '../../infra/app';
import {
  CONTEXT_DEFAULTS,
  InvalidContextError,
  readDeploymentSettings,
  UnknownContextKeyError,
} from '../../infra/stacks/deployment-settings-context';
import { ruleInputParameters } from '../../infra/constructs/rule-input-parameters';

const settingsFrom = (context: Record<string, unknown>) => readDeploymentSettings(new App({ context }).node);

describe('readDeploymentSettings', () => {
  it('applies the documented defaults when no context is given', () => {
    // Act
    const settings = settingsFrom({});
    // Assess
    expect(settings).toEqual({
      rule: {
        ruleName: 'client-vpn-connection-logging',
        maximumExecutionFrequency: 'TwentyFour_Hours',
      },
      remediation: {
        automatic: false,
        maximumAutomaticAttempts: 5,
        retryAttemptSeconds: 60,
        concurrentExecutionRatePercentage: 10,
        errorPercentage: 10,
        logGroupName: '/aws/clientvpn',
        logStreamName: undefined,
        retentionInDays: 365,
        kmsKeyArn: undefined,
      },
      functionLogRetentionDays: 365,
      documentName: 'EnableClientVpnConnectionLogging',
      executionRoleName: 'ClientVpnConnectionLoggingEvaluation',
      centralFunctionRoleName: 'ClientVpnConnectionLoggingRuleFunction',
      memberAutomationRoleName: 'ClientVpnConnectionLoggingRemediation',
      centralFunctionReservedConcurrency: 10,
      organizationRule: true,
      excludedAccounts: [],
      memberDeployment: undefined,
      connectionInsights: {
        enabled: false,
        extraLogGroupNames: [],
        failedAttemptsThreshold: 20,
        failedAttemptsPeriodMinutes: 5,
      },
    });
  });

  it('reads the organization options: reserved concurrency of the central Lambda, and the organization rule left out', () => {
    const settings = settingsFrom({ centralFunctionReservedConcurrency: '50', organizationRule: 'false' });
    expect(settings.centralFunctionReservedConcurrency).toBe(50);
    expect(settings.organizationRule).toBe(false);
  });

  it('reads -c strings from the CLI (booleans case-insensitive)', () => {
    const settings = settingsFrom({
      automaticRemediation: 'TRUE',
      minRetentionDays: '365',
      verifyLogGroup: 'True',
      requireKmsEncryption: 'False',
      maximumExecutionFrequency: 'Six_Hours',
      remediationKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      excludedAccounts: '111111111111, 222222222222',
    });
    expect(settings.remediation.automatic).toBe(true);
    expect(settings.rule.minRetentionDays).toBe(365);
    expect(settings.rule.verifyLogGroup).toBe(true);
    expect(settings.rule.requireKmsEncryption).toBe(false);
    expect(settings.rule.maximumExecutionFrequency).toBe('Six_Hours');
    expect(settings.remediation.kmsKeyArn).toMatch(/^arn:aws:kms:/);
    expect(settings.excludedAccounts).toEqual(['111111111111', '222222222222']);
  });

  it('passes the key and delivery parameters to the rule only when set', () => {
    // Act
    const unset = settingsFrom({});
    const set = settingsFrom({
      verifyKmsKeyState: 'false',
      verifyDelivery: 'true',
      deliveryGraceMinutes: '90',
    });

    // Assess
    // Nothing set: nothing passed, so the rule's own defaults apply.
    expect(ruleInputParameters(unset.rule)).toEqual({});
    expect(ruleInputParameters(set.rule)).toEqual({
      verifyKmsKeyState: 'false',
      verifyDelivery: 'true',
      deliveryGraceMinutes: '90',
    });
  });

  it('reads typed values from cdk.json', () => {
    const settings = settingsFrom({
      requireKmsEncryption: true,
      remediationKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      maximumAutomaticAttempts: 3,
      excludedAccounts: ['333333333333'],
    });
    expect(settings.rule.requireKmsEncryption).toBe(true);
    expect(settings.remediation.maximumAutomaticAttempts).toBe(3);
    expect(settings.excludedAccounts).toEqual(['333333333333']);
  });

  it.each([
    ['automaticRemediation', 'yes'],
    ['verifyLogGroup', 1],
    ['minRetentionDays', '0'],
    ['minRetentionDays', '30.5'],
    ['minRetentionDays', 'ninety'],
    ['maximumAutomaticAttempts', '26'],
    ['retryAttemptSeconds', '0'],
    ['concurrentExecutionRatePercentage', '101'],
    ['errorPercentage', '-1'],
    ['maximumExecutionFrequency', 'Daily'],
    ['remediationRetentionInDays', '366'],
    ['functionLogRetentionDays', '2'],
    ['remediationLogGroupName', 'bad name with spaces'],
    ['remediationLogStreamName', 'a:b'],
    ['remediationKmsKeyArn', 'alias/my-key'],
    ['logGroupNamePrefix', ''],
    ['ruleName', 'has spaces'],
    ['documentName', 'AWS-Reserved'],
    ['executionRoleName', 'no/slashes'],
    ['excludedAccounts', '12345'],
    ['verifyDelivery', 'on'],
    ['deliveryGraceMinutes', '0'],
    ['deliveryGraceMinutes', '10081'],
    ['centralFunctionReservedConcurrency', '0'],
    ['centralFunctionReservedConcurrency', '1001'],
    ['organizationRule', 'no'],
  ])('rejects %s=%j with an error naming the key', (key, value) => {
    expect(() => settingsFrom({ [key]: value })).toThrow(InvalidContextError);
    expect(() => settingsFrom({ [key]: value })).toThrow(`"${key}"`);
  });

  it.each([
    ['minRetentionDays', { verifyLogGroup: 'false', minRetentionDays: '90' }],
    ['requireKmsEncryption', { verifyLogGroup: 'false', requireKmsEncryption: 'true' }],
    ['verifyDelivery', { verifyLogGroup: 'false', verifyDelivery: 'true' }],
    ['remediationRetentionInDays', { minRetentionDays: '400', remediationRetentionInDays: '365' }],
    ['remediationKmsKeyArn', { requireKmsEncryption: 'true' }],
    ['remediationLogGroupName', { logGroupNamePrefix: '/security/vpn/' }],
  ])('rejects settings whose remediation could not satisfy the rule, naming %s', (key, context) => {
    expect(() => settingsFrom(context)).toThrow(`Invalid CDK context value for "${key}"`);
  });

  it('rejects a remediationLogGroupName outside the default managed prefix when logGroupNamePrefix is unset', () => {
    // Act & Assess
    expect(() => settingsFrom({ remediationLogGroupName: '/vpn/connections' })).toThrow(
      /"remediationLogGroupName": "\/vpn\/connections" does not start with the managed prefix "\/aws\/clientvpn"/,
    );
  });

  it('rejects a remediationKmsKeyArn of one region when member stacks go to others', () => {
    // Act & Assess
    expect(() =>
      settingsFrom({
        remediationKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        memberOrganizationalUnitIds: 'ou-ab12-cd34ef56',
        memberRegions: 'eu-west-1,eu-central-1',
      }),
    ).toThrow(/"remediationKmsKeyArn": the key is in eu-west-1, but memberRegions includes eu-central-1/);
  });

  it('names verifyLogGroup when retention or KMS requirements are set without the look-up', () => {
    expect(() => settingsFrom({ verifyLogGroup: 'false', minRetentionDays: '90' })).toThrow(
      /needs verifyLogGroup "true"/,
    );
  });

  it.each([
    ['/', '/aws/lambda/'],
    ['/aws', '/aws/lambda/'],
    ['/aws/', '/aws/lambda/'],
    ['/aws/vendedlogs', '/aws/vendedlogs/'],
    ['/aws/lambda/', '/aws/lambda/'],
  ])(
    "rejects logGroupNamePrefix=%s, which reaches another service's log groups (%s), naming the key, the prefix and why",
    (prefix, namespace) => {
      // Prepare
      const context = { logGroupNamePrefix: prefix, remediationLogGroupName: `${prefix}clientvpn` };

      // Act & Assess
      expect(() => settingsFrom(context)).toThrow(InvalidContextError);
      expect(() => settingsFrom(context)).toThrow(
        `Invalid CDK context value for "logGroupNamePrefix": "${prefix}" is too wide: it `,
      );
      expect(() => settingsFrom(context)).toThrow(`(${namespace}...`);
    },
  );

  it.each([
    ['/aws/c'],
    ['/aws/codebuild/'],
    ['/aws/ecs/containerinsights/'],
    ['API-Gateway-Execution-Logs_'],
    ['/aws/lambda-insights'],
    ['RDSOSMetrics'],
    ['/aws/sagemaker/'],
    ['/aws/appsync/'],
    ['/aws/batch/'],
    ['/ecs/'],
    ['/ecs/orders'],
    ['/aws-'],
    ['#'],
    ['.'],
  ])(
    'rejects logGroupNamePrefix=%s, which the allow-rule does not admit, naming the key, the prefix and the rule',
    (prefix) => {
      // Prepare
      const context = { logGroupNamePrefix: prefix, remediationLogGroupName: `${prefix}clientvpn` };

      // Act & Assess
      expect(() => settingsFrom(context)).toThrow(InvalidContextError);
      expect(() => settingsFrom(context)).toThrow(
        `Invalid CDK context value for "logGroupNamePrefix": "${prefix}" is too wide: it `,
      );
      expect(() => settingsFrom(context)).toThrow(
        'a managed prefix must start with /aws/clientvpn, or lie outside /aws',
      );
    },
  );

  it.each([
    ['/vpn/connection-logs', '/vpn/connection-logs/engineering'],
    ['/aws/clientvpn', '/aws/clientvpn'],
  ])('accepts the Client VPN prefix logGroupNamePrefix=%s', (prefix, logGroupName) => {
    // Act
    const settings = settingsFrom({ logGroupNamePrefix: prefix, remediationLogGroupName: logGroupName });

    // Assess
    expect(settings.rule.logGroupNamePrefix).toBe(prefix);
  });

  it('accepts a remediation that meets every rule requirement', () => {
    const settings = settingsFrom({
      minRetentionDays: '400',
      remediationRetentionInDays: '400',
      logGroupNamePrefix: '/security/vpn/',
      remediationLogGroupName: '/security/vpn/clientvpn',
    });
    expect(settings.remediation.retentionInDays).toBe(400);
  });
});

describe('context keys', () => {
  it.each([
    ['automaticRemedation', 'automaticRemediation'],
    ['minRetentionDay', 'minRetentionDays'],
    ['MinRetentionDays', 'minRetentionDays'],
    ['executionRole', 'executionRoleName'],
    ['automatic-remediation', 'automaticRemediation'],
    ['log_group_name_prefix', 'logGroupNamePrefix'],
    ['reservedConcurrency', 'centralFunctionReservedConcurrency'],
  ])('stops at the unknown key %s, naming the closest known key %s', (key, closest) => {
    // Act
    const read = () => settingsFrom({ [key]: 'true' });

    // Assess
    expect(read).toThrow(UnknownContextKeyError);
    expect(read).toThrow(`Unknown CDK context key "${key}": did you mean "${closest}"?`);
  });

  it('leaves the keys of the CDK and its CLI alone', () => {
    // Prepare: keys the CDK, its CLI, feature flags and context look-ups put into the context.
    const context = {
      'aws:cdk:enable-path-metadata': true,
      'aws:cdk:bundling-stacks': ['**'],
      '@aws-cdk/core:newStyleStackSynthesis': true,
      '@aws-cdk/aws-iam:minimizePolicies': true,
      'availability-zones:account=123456789012:region=eu-west-1': ['eu-west-1a'],
      'acknowledged-issue-numbers': [32775],
      'cli-telemetry': false,
      'aws-cdk:enableDiffNoFail': true,
    };

    // Act / Assess
    expect(settingsFrom(context).rule.ruleName).toBe('client-vpn-connection-logging');
  });

  it('knows every key it reads: each default-table key is accepted', () => {
    const context = Object.fromEntries(
      Object.entries(CONTEXT_DEFAULTS)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => [key, String(value)]),
    );
    expect(() => settingsFrom(context)).not.toThrow();
  });
});

describe('role base names', () => {
  it.each(['executionRoleName', 'centralFunctionRoleName', 'memberAutomationRoleName'])(
    'rejects a 49-character %s, naming the key and the 48-character limit the region suffix leaves',
    (key) => {
      // Act / Assess: 49 + "-us-isof-south-1" would be 65 characters, over IAM's 64.
      const read = () => settingsFrom({ [key]: 'R'.repeat(49) });
      expect(read).toThrow(InvalidContextError);
      expect(read).toThrow(`Invalid CDK context value for "${key}"`);
      expect(read).toThrow('1 to 48');
    },
  );

  it.each(['executionRoleName', 'centralFunctionRoleName', 'memberAutomationRoleName'] as const)(
    'accepts a 48-character %s',
    (key) => {
      expect(settingsFrom({ [key]: 'R'.repeat(48) })[key]).toBe('R'.repeat(48));
    },
  );
});

describe('buildApp', () => {
  it('fails synthesis on an invalid context value, naming the key, before building any stack', () => {
    expect(() => buildApp({ context: { minRetentionDays: 'forever' } })).toThrow(
      'Invalid CDK context value for "minRetentionDays"',
    );
  });

  it('fails synthesis on a mistyped key, naming the key meant, before building any stack', () => {
    expect(() => buildApp({ context: { automaticRemedation: 'true' } })).toThrow(
      'Unknown CDK context key "automaticRemedation": did you mean "automaticRemediation"?',
    );
  });
});

describe('member deployment context', () => {
  it('needs both the OUs and the regions', () => {
    expect(() => settingsFrom({ memberRegions: 'eu-west-1' })).toThrow('"memberOrganizationalUnitIds"');
    expect(() => settingsFrom({ memberOrganizationalUnitIds: 'r-ab12' })).toThrow('"memberRegions"');
  });

  it.each([
    ['memberOrganizationalUnitIds', 'ou-nope', 'eu-west-1'],
    ['memberRegions', 'r-ab12', 'Ireland'],
  ])('rejects a malformed %s', (key, ous, regions) => {
    expect(() => settingsFrom({ memberOrganizationalUnitIds: ous, memberRegions: regions })).toThrow(
      `"${key}"`,
    );
  });

  it('accepts every region aws-cdk-lib knows, the four-letter eusc-de-east-1 included', () => {
    const regions = RegionInfo.regions.map((region) => region.name);
    expect(
      settingsFrom({ memberOrganizationalUnitIds: 'r-ab12', memberRegions: regions.join(',') })
        .memberDeployment?.regions,
    ).toEqual(regions);
  });

  it('rejects a member region whose name would push a 48-character role name over 64 characters', () => {
    const read = () =>
      settingsFrom({
        memberOrganizationalUnitIds: 'r-ab12',
        memberRegions: 'eu-west-1,xx-somewhere-longer-1',
        centralFunctionRoleName: 'R'.repeat(48),
      });
    expect(read).toThrow('Invalid CDK context value for "memberRegions"');
    expect(read).toThrow(`"${'R'.repeat(48)}-xx-somewhere-longer-1" would be 70 characters`);
  });

  it('reads comma-separated OUs and regions', () => {
    expect(
      settingsFrom({ memberOrganizationalUnitIds: 'r-ab12', memberRegions: 'eu-west-1, us-east-1' })
        .memberDeployment,
    ).toEqual({
      organizationalUnitIds: ['r-ab12'],
      regions: ['eu-west-1', 'us-east-1'],
    });
  });
});

describe('CLOUDWATCH_RETENTION_DAYS', () => {
  it('is exactly what the runbook accepts as RetentionInDays', () => {
    expect(loadRunbook().parameters.RetentionInDays?.allowedValues).toEqual(CLOUDWATCH_RETENTION_DAYS);
  });
});
