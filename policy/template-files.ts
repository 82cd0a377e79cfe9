import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
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
const TEMPLATE_IN_ASSEMBLY = /\.template\.json$/i;
// Any other directory is a folder of templates, JSON or YAML, under any name CloudFormation users give
// them; the extension's case does not matter (bad.YML is a template too).
const TEMPLATE_IN_FOLDER = /\.(json|ya?ml|template)$/i;
const ASSEMBLY_MANIFEST = 'manifest.json';
// A cloud assembly's asset manifests (<stack>.assets.json) name its asset.* directories as the sources
// of file and Docker image assets.
const ASSET_MANIFEST = /\.assets\.json$/i;

// Folders no template of the user's is expected in. None is skipped unread: one that holds a file named
// like a template is refused (fail closed), except an assembly's asset folder its asset manifests name.
const ASSET_FOLDER = 'a cloud-assembly asset folder no asset manifest names';
function leftOutKind(name: string): string | undefined {
  if (name === 'node_modules') return 'a dependencies folder';
  if (name.startsWith('.')) return 'a hidden folder';
  if (name.startsWith('asset.')) return ASSET_FOLDER;
  return undefined;
}

/** Where a walk has been: real paths, so symlinks are followed and a loop is walked once. */
interface Walk {
  /** The input as given, for errors. */
  readonly input: string;
  /** Real paths of the directories walked and the files found. */
  readonly seen: Set<string>;
}

// The asset folders a cloud assembly's asset manifests name as sources.
function namedAssetFolders(directory: string, names: readonly string[]): Set<string> {
  const named = new Set<string>();
  for (const name of names.filter((entry) => ASSET_MANIFEST.test(entry))) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(directory, name), 'utf8')) as Record<
        string,
        Record<string, { source?: { path?: unknown; directory?: unknown } }> | undefined
      >;
      for (const asset of [
        ...Object.values(manifest.files ?? {}),
        ...Object.values(manifest.dockerImages ?? {}),
      ]) {
        for (const source of [asset.source?.path, asset.source?.directory])
          if (typeof source === 'string') named.add(source);
      }
    } catch {
      // Not an asset manifest: it names nothing, so the folders stay unexplained.
    }
  }
  return named;
}

// The kind of an entry, symlinks followed; a dangling one is refused, not skipped.
function entryKind(entryPath: string, walk: Walk): { real: string; directory: boolean } {
  try {
    return { real: realpathSync(entryPath), directory: statSync(entryPath).isDirectory() };
  } catch (error) {
    throw new UnreadableTemplateError(walk.input, `${entryPath} cannot be read: ${(error as Error).message}`);
  }
}

// The first file named like a template under a left-out folder, symlinks followed.
function firstTemplateLike(directory: string, pattern: RegExp, walk: Walk): string | undefined {
  for (const name of readdirSync(directory).sort()) {
    const entryPath = path.join(directory, name);
    const { real, directory: isDirectory } = entryKind(entryPath, walk);
    if (walk.seen.has(real)) continue;
    walk.seen.add(real);
    const found = isDirectory
      ? firstTemplateLike(entryPath, pattern, walk)
      : pattern.test(name)
        ? entryPath
        : undefined;
    if (found !== undefined) return found;
  }
  return undefined;
}

function templatesUnder(directory: string, walk: Walk, pattern?: RegExp): string[] {
  const names = readdirSync(directory).sort((a, b) => a.localeCompare(b));
  const own = pattern ?? (names.includes(ASSEMBLY_MANIFEST) ? TEMPLATE_IN_ASSEMBLY : TEMPLATE_IN_FOLDER);
  const explained = own === TEMPLATE_IN_ASSEMBLY ? namedAssetFolders(directory, names) : new Set<string>();
  const found: string[] = [];
  for (const name of names) {
    const entryPath = path.join(directory, name);
    const { real, directory: isDirectory } = entryKind(entryPath, walk);
    if (walk.seen.has(real)) continue;
    walk.seen.add(real);
    if (!isDirectory) {
      if (own.test(name)) found.push(entryPath);
      continue;
    }
    const leftOut = leftOutKind(name);
    if (leftOut === undefined) {
      found.push(...templatesUnder(entryPath, walk, own === TEMPLATE_IN_ASSEMBLY ? own : undefined));
      continue;
    }
    if (leftOut === ASSET_FOLDER && explained.has(name)) continue;
    const hidden = firstTemplateLike(entryPath, own, walk);
    if (hidden !== undefined) {
      throw new UnreadableTemplateError(
        walk.input,
        `${hidden} is in ${entryPath}, ${leftOut} that check-template does not read; give that file itself, or a folder without it`,
      );
    }
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
    const found = isDirectory
      ? templatesUnder(input, { input, seen: new Set([realpathSync(input)]) })
      : [input];
    if (found.length === 0) {
      throw new UnreadableTemplateError(
        input,
        'the directory holds no template (*.template.json in a cdk.out; *.json, *.yaml, *.yml or *.template elsewhere, in any case)',
      );
    }
    for (const file of found) templates.push(readTemplateFile(file, file));
  }
  return templates;
}
