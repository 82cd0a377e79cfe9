import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { inspectTemplate } from '../../policy/template-visibility';

const ENDPOINT = { Type: 'AWS::EC2::ClientVpnEndpoint', Properties: {} };
const HASH = 'ab'.repeat(32);

describe('inspectTemplate', () => {
  let scratch: string;
  let templatePath: string;
  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'template-visibility-'));
    templatePath = path.join(scratch, 'Parent.template.json');
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it.each([
    [
      'AWS::LanguageExtensions without a loop that makes endpoints',
      { Transform: 'AWS::LanguageExtensions' },
      {},
    ],
    [
      'an Fn::ForEach of topics',
      { Transform: ['AWS::LanguageExtensions'] },
      { 'Fn::ForEach::Topics': ['N', ['A'], { 'Topic${N}': { Type: 'AWS::SNS::Topic' } }] },
    ],
  ])('sees everything of %s', (_name, sections, resources) => {
    // Act
    const visibility = inspectTemplate(
      { ...sections, Resources: { ...resources, Endpoint: ENDPOINT } },
      templatePath,
      't',
    );
    // Assess
    expect(visibility).toEqual({ endpointCount: 1, nestedTemplates: [], unseen: [] });
  });

  it.each([
    ['the SAM transform', { Transform: 'AWS::Serverless-2016-10-31' }, {}, 'Transform'],
    ['a macro named in a Transform object', { Transform: { Name: 'SomeMacro' } }, {}, 'Transform'],
    ['a module', {}, { Vpc: { Type: 'My::Network::Vpc::MODULE' } }, 'Resources/Vpc'],
    ['a stack set', {}, { Set: { Type: 'AWS::CloudFormation::StackSet' } }, 'Resources/Set'],
    [
      'an Fn::ForEach of nested stacks',
      { Transform: 'AWS::LanguageExtensions' },
      { 'Fn::ForEach::Stacks': ['N', ['A'], { 'Stack${N}': { Type: 'AWS::CloudFormation::Stack' } }] },
      'Resources/Fn::ForEach::Stacks',
    ],
    [
      'an Fn::Transform deep in a property',
      {},
      { Topic: { Type: 'AWS::SNS::Topic', Properties: { Tags: [{ 'Fn::Transform': { Name: 'M' } }] } } },
      'Resources/Topic/Properties/Tags/0',
    ],
  ])('reports %s as unseen, where it is', (_name, sections, resources, location) => {
    // Act
    const visibility = inspectTemplate({ ...sections, Resources: resources }, templatePath, 't');
    // Assess
    expect(visibility.unseen).toEqual([expect.objectContaining({ template: 't', location })]);
  });

  it("finds a CDK nested stack's template through the parent's asset manifest", () => {
    // Prepare: what `cdk synth` writes for a NestedStack
    const nested = path.join(scratch, 'ParentNetwork.nested.template.json');
    writeFileSync(nested, JSON.stringify({ Resources: { Endpoint: ENDPOINT } }));
    writeFileSync(
      path.join(scratch, 'Parent.assets.json'),
      JSON.stringify({ files: { [HASH]: { source: { path: path.basename(nested), packaging: 'file' } } } }),
    );
    const stack = {
      Type: 'AWS::CloudFormation::Stack',
      Properties: {
        TemplateURL: { 'Fn::Join': ['', ['https://s3.', { Ref: 'AWS::Region' }, `/bucket/${HASH}.json`]] },
      },
    };
    // Act
    const visibility = inspectTemplate({ Resources: { Network: stack } }, templatePath, 't');
    // Assess
    expect(visibility).toEqual({ endpointCount: 0, nestedTemplates: [nested], unseen: [] });
  });

  it.each([
    [
      "CDK's own asset URL",
      { 'Fn::Join': ['', ['https://s3.', { Ref: 'AWS::Region' }, `/bucket/${'cd'.repeat(32)}.json`]] },
      true,
    ],
    ['a remote URL', 'https://example-bucket.s3.amazonaws.com/other.json', false],
    ['a URL built otherwise', { 'Fn::Sub': 'https://${Bucket}.s3.amazonaws.com/other.json' }, false],
  ])('follows the aws:asset:path metadata only beside %s', (_name, templateUrl, followed) => {
    // Prepare: no asset manifest, only the metadata naming a file that exists
    const asset = path.join(scratch, 'Metadata.nested.template.json');
    writeFileSync(asset, JSON.stringify({ Resources: {} }));
    const stack = {
      Type: 'AWS::CloudFormation::Stack',
      Metadata: { 'aws:asset:path': path.basename(asset) },
      Properties: { TemplateURL: templateUrl },
    };
    // Act
    const visibility = inspectTemplate(
      { Resources: { Network: stack } },
      path.join(scratch, 'Other.json'),
      't',
    );
    // Assess
    expect(visibility.nestedTemplates).toEqual(followed ? [asset] : []);
    expect(visibility.unseen).toHaveLength(followed ? 0 : 1);
  });
});
