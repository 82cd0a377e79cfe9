import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readTemplateFiles, UnreadableTemplateError } from '../../policy/template-files';

const TEMPLATE = JSON.stringify({ Resources: { Bucket: { Type: 'AWS::S3::Bucket' } } });

describe('readTemplateFiles', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'template-files-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('finds every stack template of a cloud assembly, nested stages included, and skips assets', () => {
    // Prepare: a cdk.out with a stage's nested assembly and an asset directory holding a decoy
    const assembly = path.join(scratch, 'cdk.out');
    mkdirSync(path.join(assembly, 'assembly-Prod'), { recursive: true });
    mkdirSync(path.join(assembly, 'asset.0123abcd'), { recursive: true });
    writeFileSync(path.join(assembly, 'Top.template.json'), TEMPLATE);
    writeFileSync(path.join(assembly, 'assembly-Prod', 'ProdStack.template.json'), TEMPLATE);
    writeFileSync(path.join(assembly, 'asset.0123abcd', 'Decoy.template.json'), 'not a template');
    writeFileSync(path.join(assembly, 'manifest.json'), '{}');
    // Act
    const found = readTemplateFiles([assembly]).map((template) => path.relative(assembly, template.path));
    // Assess
    expect(found).toEqual([path.join('assembly-Prod', 'ProdStack.template.json'), 'Top.template.json']);
  });

  it('reads every JSON and YAML template of a folder that is not a cloud assembly, leaving out dependencies and hidden folders', () => {
    // Prepare
    mkdirSync(path.join(scratch, 'nested'), { recursive: true });
    mkdirSync(path.join(scratch, 'node_modules', 'dep'), { recursive: true });
    mkdirSync(path.join(scratch, '.git'), { recursive: true });
    for (const name of ['a.template.json', 'b.json', 'c.yaml', path.join('nested', 'd.yml')])
      writeFileSync(path.join(scratch, name), TEMPLATE);
    writeFileSync(path.join(scratch, 'node_modules', 'dep', 'package.json'), '{}');
    writeFileSync(path.join(scratch, '.git', 'config.json'), '{}');
    writeFileSync(path.join(scratch, 'README.md'), '# not a template');
    // Act
    const found = readTemplateFiles([scratch]).map((template) => path.relative(scratch, template.path));
    // Assess
    expect(found).toEqual(['a.template.json', 'b.json', 'c.yaml', path.join('nested', 'd.yml')]);
  });

  it('keeps the path as given for reports and resolves it for cfn-guard', () => {
    // Prepare
    const file = path.join(scratch, 'stack.json');
    writeFileSync(file, TEMPLATE);
    const relative = path.relative(process.cwd(), file);
    // Act
    const [template] = readTemplateFiles([relative]);
    // Assess
    expect(template).toEqual({ path: file, displayName: relative, body: JSON.parse(TEMPLATE) as unknown });
  });

  it.each([
    ['a YAML list', '- a\n- b\n', 'expected a JSON or YAML object'],
    ['a scalar', '42\n', 'expected a JSON or YAML object'],
    ['Resources that is a list', 'Resources: [a]\n', 'expected a "Resources" map'],
    ['broken JSON', '{"Resources": {', 'not JSON or YAML'],
  ])('refuses %s, naming the file', (_name, text, problem) => {
    // Prepare
    const file = path.join(scratch, 'bad.template');
    writeFileSync(file, text);
    // Act / Assess
    expect(() => readTemplateFiles([file])).toThrow(UnreadableTemplateError);
    expect(() => readTemplateFiles([file])).toThrow(
      `Cannot read CloudFormation template ${file}: ${problem}`,
    );
  });

  it('refuses a directory without templates and an empty list of inputs', () => {
    // Prepare: a directory named like a template is still a directory
    const directoryAsFile = path.join(scratch, 'nested');
    mkdirSync(path.join(directoryAsFile, 'Odd.template.json'), { recursive: true });
    // Act / Assess
    expect(() => readTemplateFiles([])).toThrow('no template file or directory given');
    expect(() => readTemplateFiles([path.join(directoryAsFile, 'Odd.template.json')])).toThrow(
      'holds no template',
    );
  });
});
