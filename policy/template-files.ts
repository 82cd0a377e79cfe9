import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { CLOUDFORMATION_YAML_TAGS } from './cloudformation-yaml-tags';
import { PolicyError } from './policy-error';

/** An input is not a readable CloudFormation template, or a directory holds none; nothing is evaluated then. */
export class UnreadableTemplateError extends PolicyError {
  public override readonly name = 'UnreadableTemplateError';

  /**
   * @param input - the file or directory as given
   * @param problem - what is wrong with it
   */
  public constructor(
    public readonly input: string,
    problem: string,
  ) {
    super(`Cannot read CloudFormation template ${input}: ${problem}`);
  }
}

/** A CloudFormation template file that parsed as JSON or YAML and has a `Resources` map. */
export interface TemplateFile {
  /** The absolute path Guard reads. */
  readonly path: string;
  /** The path as the user gave it (or as found under a given directory), for reports. */
  readonly displayName: string;
  /** The parsed template, short-form YAML tags in their long JSON form. */
  readonly body: Readonly<Record<string, unknown>>;
}

// A cloud assembly (cdk.out) keeps each stack's template as <artifact>.template.json (a nested stack's
// as <id>.nested.template.json), nested stages in assembly-* subdirectories and assets in asset.*
// directories, beside its manifest.json; its other JSON files are not templates.
const TEMPLATE_IN_ASSEMBLY = /\.template\.json$/;
// Any other directory is a folder of templates, JSON or YAML.
const TEMPLATE_IN_FOLDER = /\.(template\.json|json|ya?ml)$/;
const ASSEMBLY_MANIFEST = 'manifest.json';

function templatesUnder(directory: string, pattern?: RegExp): string[] {
  const entries = readdirSync(directory, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  const own =
    pattern ??
    (entries.some((entry) => entry.isFile() && entry.name === ASSEMBLY_MANIFEST)
      ? TEMPLATE_IN_ASSEMBLY
      : TEMPLATE_IN_FOLDER);
  const found: string[] = [];
  for (const entry of entries) {
    const entryPath = path.join(directory, entry.name);
    // Dependencies, hidden directories and assembly assets hold no template of the user's.
    const skipped =
      entry.name.startsWith('.') || entry.name.startsWith('asset.') || entry.name === 'node_modules';
    if (entry.isDirectory() && !skipped)
      found.push(...templatesUnder(entryPath, own === TEMPLATE_IN_ASSEMBLY ? own : undefined));
    else if (entry.isFile() && own.test(entry.name)) found.push(entryPath);
  }
  return found;
}

/**
 * Reads and parses one template file.
 *
 * @param filePath - the file
 * @param displayName - the file as reported
 * @returns the template
 * @throws UnreadableTemplateError on a missing or unparsable file, or one without a `Resources` map
 */
export function readTemplateFile(filePath: string, displayName: string): TemplateFile {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (error) {
    throw new UnreadableTemplateError(displayName, (error as Error).message);
  }
  // YAML is a superset of JSON; CloudFormation's short-form tags (!Ref, !Sub) read as their long form.
  const document = parseDocument(text, { prettyErrors: false, customTags: [...CLOUDFORMATION_YAML_TAGS] });
  if (document.errors.length > 0) {
    throw new UnreadableTemplateError(displayName, `not JSON or YAML: ${document.errors[0].message}`);
  }
  const body: unknown = document.toJS();
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new UnreadableTemplateError(displayName, 'expected a JSON or YAML object');
  }
  const resources = (body as Record<string, unknown>).Resources;
  if (resources === null || typeof resources !== 'object' || Array.isArray(resources)) {
    throw new UnreadableTemplateError(displayName, 'expected a "Resources" map, as every template has');
  }
  return { path: path.resolve(filePath), displayName, body: body as Record<string, unknown> };
}

/**
 * Resolves files, cloud-assembly directories (`cdk.out`) and folders of templates to the CloudFormation
 * templates in them,
 * checking each parses, so an unreadable input stops everything before any is evaluated.
 *
 * @param inputs - template files (JSON or YAML) and directories
 * @returns the templates, in the order given (a directory's sorted by path)
 * @throws UnreadableTemplateError on a missing, unparsable or template-less input
 */
export function readTemplateFiles(inputs: readonly string[]): TemplateFile[] {
  if (inputs.length === 0) throw new UnreadableTemplateError('(none)', 'no template file or directory given');
  const templates: TemplateFile[] = [];
  for (const input of inputs) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(input).isDirectory();
    } catch {
      throw new UnreadableTemplateError(input, 'no such file or directory');
    }
    const found = isDirectory ? templatesUnder(input) : [input];
    if (found.length === 0) {
      throw new UnreadableTemplateError(
        input,
        'the directory holds no template (*.template.json in a cdk.out; *.template.json, *.json, *.yaml or *.yml elsewhere)',
      );
    }
    for (const file of found) templates.push(readTemplateFile(file, file));
  }
  return templates;
}
