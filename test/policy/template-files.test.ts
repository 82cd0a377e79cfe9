import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

  it('finds every stack template of a cloud assembly, nested stages included, and skips the assets its asset manifest names', () => {
    // Prepare: a cdk.out with a stage's nested assembly and an asset directory holding a decoy
    const assembly = path.join(scratch, 'cdk.out');
    mkdirSync(path.join(assembly, 'assembly-Prod'), { recursive: true });
    mkdirSync(path.join(assembly, 'asset.0123abcd'), { recursive: true });
    writeFileSync(path.join(assembly, 'Top.template.json'), TEMPLATE);
    writeFileSync(path.join(assembly, 'assembly-Prod', 'ProdStack.template.json'), TEMPLATE);
    writeFileSync(path.join(assembly, 'asset.0123abcd', 'Decoy.template.json'), 'not a template');
    writeFileSync(path.join(assembly, 'manifest.json'), '{}');
    writeFileSync(
      path.join(assembly, 'Top.assets.json'),
      JSON.stringify({ files: { '0123abcd': { source: { path: 'asset.0123abcd', packaging: 'zip' } } } }),
    );
    // Act
    const found = readTemplateFiles([assembly]).map((template) => path.relative(assembly, template.path));
    // Assess
    expect(found).toEqual([path.join('assembly-Prod', 'ProdStack.template.json'), 'Top.template.json']);
  });

  it('reads every JSON and YAML template of a folder, in any case, .template included, and reads past dependency and hidden folders that hold none', () => {
    // Prepare
    mkdirSync(path.join(scratch, 'nested'), { recursive: true });
    mkdirSync(path.join(scratch, 'node_modules', 'dep'), { recursive: true });
    mkdirSync(path.join(scratch, '.git'), { recursive: true });
    const names = [
      'a.template.json',
      'b.json',
      'c.yaml',
      'D.YML',
      'e.JSON',
      'f.template',
      path.join('nested', 'g.yml'),
    ];
    for (const name of names) writeFileSync(path.join(scratch, name), TEMPLATE);
    writeFileSync(path.join(scratch, 'node_modules', 'dep', 'index.js'), '');
    writeFileSync(path.join(scratch, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(path.join(scratch, 'README.md'), '# not a template');
    // Act
    const found = readTemplateFiles([scratch]).map((template) => path.relative(scratch, template.path));
    // Assess
    expect(found.sort()).toEqual([...names].sort());
  });

  it('follows symlinks to files and folders, reading each real file once, a symlink loop included', () => {
    // Prepare: a folder with a link to a template elsewhere, a link to a folder elsewhere, and a loop
    const elsewhere = path.join(scratch, 'elsewhere');
    const folder = path.join(scratch, 'templates');
    mkdirSync(elsewhere);
    mkdirSync(folder);
    writeFileSync(path.join(elsewhere, 'linked.json'), TEMPLATE);
    writeFileSync(path.join(elsewhere, 'other.yaml'), TEMPLATE);
    symlinkSync(path.join(elsewhere, 'linked.json'), path.join(folder, 'file-link.json'));
    symlinkSync(elsewhere, path.join(folder, 'folder-link'));
    symlinkSync(folder, path.join(folder, 'loop'));
    // Act
    const found = readTemplateFiles([folder]).map((template) => path.relative(folder, template.path));
    // Assess
    expect(found).toEqual(['file-link.json', path.join('folder-link', 'other.yaml')]);
  });

  it.each([
    ['a dependencies folder', path.join('node_modules', 'dep', 'package.json'), 'dependencies folder'],
    ['a hidden folder', path.join('.hidden', 'disabled.json'), 'hidden folder'],
    ['an asset folder outside a cloud assembly', path.join('asset.x', 'disabled.json'), 'asset folder'],
  ])('refuses a folder with %s that holds a file named like a template, naming it', (_name, file, kind) => {
    // Prepare
    const folder = path.join(scratch, 'templates');
    mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
    writeFileSync(path.join(folder, 'a.json'), TEMPLATE);
    writeFileSync(path.join(folder, file), TEMPLATE);
    // Act / Assess
    expect(() => readTemplateFiles([folder])).toThrow(UnreadableTemplateError);
    expect(() => readTemplateFiles([folder])).toThrow(`${path.join(folder, file)} is in `);
    expect(() => readTemplateFiles([folder])).toThrow(kind);
  });

  it('refuses a cloud assembly whose asset folder no asset manifest names holds a stack template', () => {
    // Prepare
    const assembly = path.join(scratch, 'cdk.out');
    mkdirSync(path.join(assembly, 'asset.0123abcd'), { recursive: true });
    writeFileSync(path.join(assembly, 'manifest.json'), '{}');
    writeFileSync(path.join(assembly, 'Top.template.json'), TEMPLATE);
    writeFileSync(path.join(assembly, 'asset.0123abcd', 'Hidden.template.json'), TEMPLATE);
    // Act / Assess
    expect(() => readTemplateFiles([assembly])).toThrow('no asset manifest names');
  });

  it('refuses a dangling symlink rather than skipping it', () => {
    // Prepare
    writeFileSync(path.join(scratch, 'a.json'), TEMPLATE);
    symlinkSync(path.join(scratch, 'gone.json'), path.join(scratch, 'dangling.json'));
    // Act / Assess
    expect(() => readTemplateFiles([scratch])).toThrow('dangling.json cannot be read');
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
