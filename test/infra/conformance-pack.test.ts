import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parse } from 'yaml';
import {
  ALLOWED_RESOURCE_TYPES,
  checkConformancePack,
  type CloudFormationTemplate,
  conformancePackYaml,
  InvalidConformancePackError,
  MAX_TEMPLATE_BODY_BYTES,
} from '../../infra/stacks/conformance-pack';
import { ConformancePackStack } from '../../infra/stacks/conformance-pack-stack';
import { readDeploymentSettings } from '../../infra/stacks/deployment-settings-context';

describe('conformance pack', () => {
  let stackTemplate: CloudFormationTemplate;
  let body: string;
  let pack: CloudFormationTemplate;

  beforeAll(() => {
    const app = new App({
      outdir: mkdtempSync(path.join(tmpdir(), 'cdk-pack-')),
      context: { automaticRemediation: 'true' },
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = new ConformancePackStack(app, 'Pack', { settings: readDeploymentSettings(app.node) });
    stackTemplate = Template.fromStack(stack).toJSON() as CloudFormationTemplate;
    body = conformancePackYaml(stackTemplate);
    pack = parse(body) as CloudFormationTemplate;
  });

  it('holds only a Config rule and its remediation configuration', () => {
    expect(
      Object.values(pack.Resources)
        .map((resource) => resource.Type)
        .sort(),
    ).toEqual(['AWS::Config::ConfigRule', 'AWS::Config::RemediationConfiguration']);
    expect(Object.keys(pack).sort()).toEqual(['Conditions', 'Parameters', 'Resources']);
    expect(body).not.toContain('aws:cdk');
  });

  it('takes the Lambda ARN, the document name and the automation role as parameters, each one referenced', () => {
    expect(Object.keys(pack.Parameters ?? {})).toEqual([
      'RuleFunctionArn',
      'RemediationDocumentName',
      'AutomationAssumeRoleName',
      'ExecutionRoleName',
    ]);
    const resources = JSON.stringify(pack.Resources);
    for (const name of [
      'RuleFunctionArn',
      'RemediationDocumentName',
      'AutomationAssumeRoleName',
      'ExecutionRoleName',
    ]) {
      expect(resources).toContain(`{"Ref":"${name}"}`);
    }
  });

  it("builds each account's automation role ARN from the shared base name and the pack's region", () => {
    const remediation = Object.values(pack.Resources).find(
      (r) => r.Type === 'AWS::Config::RemediationConfiguration',
    );
    expect(remediation).toMatchObject({
      Properties: {
        TargetId: { Ref: 'RemediationDocumentName' },
        Automatic: true,
        Parameters: {
          ClientVpnEndpointId: { ResourceValue: { Value: 'RESOURCE_ID' } },
          AutomationAssumeRole: {
            StaticValue: {
              Values: [
                {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':iam::',
                      { Ref: 'AWS::AccountId' },
                      ':role/',
                      { Ref: 'AutomationAssumeRoleName' },
                      '-',
                      { Ref: 'AWS::Region' },
                    ],
                  ],
                },
              ],
            },
          },
        },
      },
    });
  });

  it("passes executionRoleName, suffixed with the pack's region, to the rule only when an organization pack sets it", () => {
    const rule = Object.values(pack.Resources).find((r) => r.Type === 'AWS::Config::ConfigRule');
    expect(rule).toMatchObject({
      Properties: {
        Source: { SourceIdentifier: { Ref: 'RuleFunctionArn' } },
        InputParameters: {
          executionRoleName: {
            'Fn::If': [
              'HasExecutionRoleName',
              { 'Fn::Join': ['', [{ Ref: 'ExecutionRoleName' }, '-', { Ref: 'AWS::Region' }]] },
              { Ref: 'AWS::NoValue' },
            ],
          },
        },
      },
    });
  });

  it(`stays under the ${MAX_TEMPLATE_BODY_BYTES}-byte template body limit`, () => {
    expect(Buffer.byteLength(body)).toBeLessThan(MAX_TEMPLATE_BODY_BYTES);
  });

  describe('checkConformancePack', () => {
    it.each([
      [
        'a resource type other than ' + ALLOWED_RESOURCE_TYPES.join(' and '),
        (t: CloudFormationTemplate): CloudFormationTemplate => ({
          ...t,
          Resources: { ...t.Resources, Fn: { Type: 'AWS::Lambda::Function' } },
        }),
        'resource Fn is a AWS::Lambda::Function',
      ],
      [
        'a parameter nothing references',
        (t: CloudFormationTemplate): CloudFormationTemplate => ({
          ...t,
          Parameters: { ...t.Parameters, Unused: { Type: 'String' } },
        }),
        'parameter Unused is never referenced',
      ],
    ])('rejects %s', (_case, change, message) => {
      const broken = change(pack);
      expect(() => checkConformancePack(broken, JSON.stringify(broken))).toThrow(InvalidConformancePackError);
      expect(() => checkConformancePack(broken, JSON.stringify(broken))).toThrow(message);
    });

    it('rejects a body over the size limit', () => {
      expect(() => checkConformancePack(pack, 'x'.repeat(MAX_TEMPLATE_BODY_BYTES))).toThrow(
        'over the 51200-byte limit',
      );
    });

    it('accepts a parameter referenced only through Fn::Sub', () => {
      const viaSub: CloudFormationTemplate = {
        Parameters: { Name: { Type: 'String' } },
        Resources: {
          Rule: {
            Type: 'AWS::Config::ConfigRule',
            Properties: { ConfigRuleName: { 'Fn::Sub': 'x-${Name}' } },
          },
        },
      };
      expect(() => checkConformancePack(viaSub, 'small')).not.toThrow();
    });
  });
});
