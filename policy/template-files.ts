import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';

/** An input is not a readable CloudFormation template, or a directory holds none; nothing is evaluated then. */
export class UnreadableTemplateError extends Error {
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
}

// A cloud assembly (cdk.out) keeps each stack's template as <artifact>.template.json, nested stages
// in assembly-* subdirectories and assets in asset.* directories, which are not templates.
const TEMPLATE_IN_ASSEMBLY = /\.template\.json$/;

function templatesUnder(directory: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const entryPath = path.join(directory, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith('asset.')) found.push(...templatesUnder(entryPath));
    else if (entry.isFile() && TEMPLATE_IN_ASSEMBLY.test(entry.name)) found.push(entryPath);
  }
  return found;
}

function checkTemplate(filePath: string, displayName: string): void {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (error) {
    throw new UnreadableTemplateError(displayName, (error as Error).message);
  }
  // YAML is a superset of JSON; CloudFormation's short-form tags (!Ref, !Sub) only warn here, and
  // Guard reads them itself.
  const document = parseDocument(text, { prettyErrors: false });
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
}

/**
 * Resolves files and cloud-assembly directories (`cdk.out`) to the CloudFormation templates in them,
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
      throw new UnreadableTemplateError(input, 'the directory holds no *.template.json (is it a cdk.out?)');
    }
    for (const file of found) {
      checkTemplate(file, file);
      templates.push({ path: path.resolve(file), displayName: file });
    }
  }
  return templates;
}
