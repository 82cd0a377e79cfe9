import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { CloudFormationTemplate } from '../../infra/stacks/conformance-pack';
import {
  SHIPPED_SYNTHESES,
  stackSetTemplateBodies,
  writeShippedTemplates,
} from '../../infra/shipped-templates';

describe('stackSetTemplateBodies', () => {
  it('parses the TemplateBody of every StackSet, by logical ID, and nothing else', () => {
    const template: CloudFormationTemplate = {
      Resources: {
        Members: {
          Type: 'AWS::CloudFormation::StackSet',
          Properties: { TemplateBody: '{"Resources":{"R":{"Type":"AWS::SNS::Topic"}}}' },
        },
        Topic: { Type: 'AWS::SNS::Topic' },
      },
    };
    expect(stackSetTemplateBodies(template)).toEqual({
      Members: { Resources: { R: { Type: 'AWS::SNS::Topic' } } },
    });
  });
});

describe('writeShippedTemplates', () => {
  let dir: string;
  let written: string[];
  const relative = () => written.map((file) => path.relative(dir, file)).sort();
  const json = (file: string) =>
    JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CloudFormationTemplate;

  beforeAll(() => {
    // Act: the syntheses npm run lint:templates checks.
    dir = mkdtempSync(path.join(tmpdir(), 'shipped-templates-'));
    written = writeShippedTemplates(dir);
  }, 180_000);

  it('writes the three stacks and the conformance pack of every synthesis, and the StackSet body where there is a StackSet', () => {
    const expected = SHIPPED_SYNTHESES.flatMap(({ name }) => [
      `${name}/ClientVpnConnectionLogging.template.json`,
      `${name}/ClientVpnConnectionLoggingMember.template.json`,
      `${name}/ClientVpnConnectionLoggingOrganization.template.json`,
      `${name}/conformance-pack.yaml`,
    ]);
    expected.push(
      'all-options/ClientVpnConnectionLoggingOrganization.MemberStackSet.template-body.json',
      'every-member-region-and-guard-hook/ClientVpnConnectionLoggingOrganization.MemberStackSet.template-body.json',
      'every-member-region-and-guard-hook/ClientVpnConnectionLoggingGuardHook.template.json',
      'connection-insights/ClientVpnConnectionLoggingOrganization.MemberStackSet.template-body.json',
    );
    expect(relative()).toEqual(expected.sort());
  });

  it('writes the StackSet body exactly as the organization template embeds it', () => {
    const organization = json('all-options/ClientVpnConnectionLoggingOrganization.template.json');
    const body = json('all-options/ClientVpnConnectionLoggingOrganization.MemberStackSet.template-body.json');
    const { TemplateBody } = organization.Resources.MemberStackSet.Properties as { TemplateBody: string };
    expect(JSON.parse(TemplateBody)).toEqual(body);
    expect(Object.values(body.Resources).map((r) => r.Type)).toContain('AWS::IAM::Role');
  });

  it('synthesises with each context: automatic remediation and the KMS key in all-options, no organization rule where the pack replaces it', () => {
    const remediation = (name: string) =>
      Object.values(json(`${name}/ClientVpnConnectionLogging.template.json`).Resources).find(
        (r) => r.Type === 'AWS::Config::RemediationConfiguration',
      )?.Properties;
    expect(remediation('all-options')).toMatchObject({
      Automatic: true,
      Parameters: { KmsKeyArn: expect.anything(), LogGroupNamePrefix: expect.anything() },
    });
    expect(remediation('defaults')).toMatchObject({ Automatic: false });
    const types = (name: string) =>
      Object.values(json(`${name}/ClientVpnConnectionLoggingOrganization.template.json`).Resources).map(
        (r) => r.Type,
      );
    expect(types('defaults')).toContain('AWS::Config::OrganizationConfigRule');
    expect(types('conformance-pack-instead-of-organization-rule')).not.toContain(
      'AWS::Config::OrganizationConfigRule',
    );
    const pack = parse(readFileSync(path.join(dir, 'all-options/conformance-pack.yaml'), 'utf8'));
    expect(Object.keys(pack.Resources as object)).toHaveLength(2);
  });
});
