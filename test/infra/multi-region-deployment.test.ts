import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readDeploymentSettings } from '../../infra/stacks/deployment-settings-context';
import { MemberAccountStack } from '../../infra/stacks/member-account-stack';
import { OrganizationStack } from '../../infra/stacks/organization-stack';
import { actionsOf, policyStatements, roleId } from './policy-statements';

const ACCOUNT = '111111111111';
const REGIONS = ['eu-west-1', 'us-east-1'] as const;

/** What one region's pair of stacks says about the roles, read from the synthesized templates. */
interface RegionFacts {
  readonly app: App;
  readonly outdir: string;
  readonly organization: Template;
  readonly member: Template;
  /** RoleName of the central Lambda's role (organization stack). */
  readonly centralRoleName: string;
  /** The only sts:AssumeRole resource of the central Lambda's role, flattened. */
  readonly assumableRoleArn: string;
  /** The organization rule's executionRoleName input parameter. */
  readonly ruleExecutionRoleName: string;
  /** RoleName of the member evaluation role. */
  readonly evaluationRoleName: string;
  /** The one principal the member evaluation role trusts, flattened. */
  readonly trustedPrincipalArn: string;
  /** RoleName of the member automation role. */
  readonly automationRoleName: string;
  /** The StackSet's regions, or undefined when the stack has none. */
  readonly stackSetRegions?: unknown;
}

/** Joins an Fn::Join of strings and Refs into one string, a Ref written as <Name>. */
function flat(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as { Ref?: string; 'Fn::Join'?: [string, unknown[]] };
  if (node.Ref !== undefined) return `<${node.Ref}>`;
  if (node['Fn::Join'] !== undefined) return node['Fn::Join'][1].map(flat).join(node['Fn::Join'][0]);
  throw new Error(`unexpected template value ${JSON.stringify(value)}`);
}

function roleName(template: Template, description: RegExp): string {
  const id = roleId(template, description);
  return flat((template.toJSON().Resources[id].Properties as { RoleName: unknown }).RoleName);
}

function synthesise(region: string, memberRegions = REGIONS.join(',')): RegionFacts {
  const outdir = mkdtempSync(path.join(tmpdir(), `cdk-${region}-`));
  const app = new App({
    outdir,
    context: { memberOrganizationalUnitIds: 'ou-ab12-cdefgh34', memberRegions },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const settings = readDeploymentSettings(app.node);
  const env = { account: ACCOUNT, region };
  const organizationStack = new OrganizationStack(app, 'Organization', { settings, env });
  const memberStack = new MemberAccountStack(app, 'Member', { settings, env });
  // Both stacks exist before the first synthesis, which Template.fromStack runs.
  const organization = Template.fromStack(organizationStack);
  const member = Template.fromStack(memberStack);

  const centralRoleId = roleId(organization, /Evaluates Client VPN endpoints/);
  const assume = (policyStatements(organization).get(centralRoleId) ?? []).filter((statement) =>
    actionsOf(statement).includes('sts:AssumeRole'),
  );
  expect(assume).toHaveLength(1);
  expect(assume[0].Condition).toEqual({ StringEquals: { 'aws:ResourceOrgID': { Ref: 'OrganizationId' } } });

  const [rule] = Object.values(organization.findResources('AWS::Config::OrganizationConfigRule'));
  const input = (rule.Properties as { OrganizationCustomRuleMetadata: { InputParameters: string } })
    .OrganizationCustomRuleMetadata.InputParameters;

  const evaluationRole = member.toJSON().Resources[roleId(member, /Assumed by the central/)].Properties as {
    AssumeRolePolicyDocument: { Statement: Array<{ Principal: { AWS: unknown } }> };
  };
  expect(evaluationRole.AssumeRolePolicyDocument.Statement).toHaveLength(1);

  const [stackSet] = Object.values(organization.findResources('AWS::CloudFormation::StackSet'));
  return {
    app,
    outdir,
    organization,
    member,
    centralRoleName: roleName(organization, /Evaluates Client VPN endpoints/),
    assumableRoleArn: flat(assume[0].Resource),
    ruleExecutionRoleName: (JSON.parse(input) as { executionRoleName: string }).executionRoleName,
    evaluationRoleName: roleName(member, /Assumed by the central/),
    trustedPrincipalArn: flat(evaluationRole.AssumeRolePolicyDocument.Statement[0].Principal.AWS),
    automationRoleName: roleName(member, /Runs the EnableClientVpnConnectionLogging runbook/),
    stackSetRegions: (
      stackSet?.Properties as { StackInstancesGroup: Array<{ Regions: unknown }> } | undefined
    )?.StackInstancesGroup[0].Regions,
  };
}

describe('organization mode deployed to two regions of one account', () => {
  const facts = new Map<string, RegionFacts>();

  beforeAll(() => {
    // Prepare: the organization and member stacks, synthesised for each region with a concrete environment.
    for (const region of REGIONS) facts.set(region, synthesise(region));
    // Bundling the Lambda with esbuild, once per region, can be slow when every jest worker is busy.
  }, 180_000);

  const of = (region: string): RegionFacts => facts.get(region) as RegionFacts;

  it.each(REGIONS)('names every fixed role in %s <base name>-<region>', (region) => {
    expect(of(region)).toMatchObject({
      centralRoleName: `ClientVpnConnectionLoggingRuleFunction-${region}`,
      evaluationRoleName: `ClientVpnConnectionLoggingEvaluation-${region}`,
      automationRoleName: `ClientVpnConnectionLoggingRemediation-${region}`,
    });
  });

  it('gives the two regions disjoint role names, so IAM finds no name taken', () => {
    const names = (region: string) => [
      of(region).centralRoleName,
      of(region).evaluationRoleName,
      of(region).automationRoleName,
    ];
    const [first, second] = REGIONS.map(names);
    expect(first.filter((name) => second.includes(name))).toEqual([]);
    expect(new Set([...first, ...second]).size).toBe(6);
  });

  it.each(REGIONS)(
    "in %s, lets the central Lambda assume exactly the member evaluation role of that region, which trusts exactly that region's central role",
    (region) => {
      const {
        assumableRoleArn,
        ruleExecutionRoleName,
        evaluationRoleName,
        trustedPrincipalArn,
        centralRoleName,
      } = of(region);
      // The organization rule tells the Lambda the name the member stack gave its role...
      expect(ruleExecutionRoleName).toBe(evaluationRoleName);
      // ...the Lambda's policy allows that name only, in any account (the organization condition checked above)...
      expect(assumableRoleArn).toBe(`arn:<AWS::Partition>:iam::*:role/${evaluationRoleName}`);
      // ...and the member role trusts only the central role of the same region.
      expect(trustedPrincipalArn).toBe(
        `arn:<AWS::Partition>:iam::<CentralAccountId>:role/${centralRoleName}`,
      );
    },
  );

  it.each(REGIONS)(
    "binds the %s automation role's trust to that region's automation executions",
    (region) => {
      of(region).member.hasResourceProperties('AWS::IAM::Role', {
        RoleName: `ClientVpnConnectionLoggingRemediation-${region}`,
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({
              Condition: {
                StringEquals: { 'aws:SourceAccount': ACCOUNT },
                ArnLike: {
                  'aws:SourceArn': {
                    'Fn::Join': [
                      '',
                      ['arn:', { Ref: 'AWS::Partition' }, `:ssm:${region}:${ACCOUNT}:automation-execution/*`],
                    ],
                  },
                },
              },
            }),
          ],
        },
      });
    },
  );

  it.each(REGIONS)('has the %s StackSet deploy the member stack to its own region only', (region) => {
    expect(of(region).stackSetRegions).toEqual([region]);
  });

  it('creates no StackSet in a region outside memberRegions', () => {
    expect(synthesise('ap-southeast-5').stackSetRegions).toBeUndefined();
  }, 180_000);

  it.each(REGIONS)("passes cdk-nag's AWS Solutions checks in %s", (region) => {
    // Act
    expect(() => of(region).app.synth({ force: true })).not.toThrow();
    // Assess: the acknowledgements name the concrete region's resources, and nothing is left over.
    const report = JSON.parse(readFileSync(path.join(of(region).outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports).toEqual([]);
  });
});
