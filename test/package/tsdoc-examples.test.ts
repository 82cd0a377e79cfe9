import { join } from 'node:path';
import * as ts from 'typescript';

// The package's public face is infra/index.ts. Every class and function it exports shows an `@example`,
// and every example is type-checked here against the sources, imported by the package's name as a user
// would, so an example that names a removed export or passes a wrong prop fails this test.

const ROOT = join(__dirname, '..', '..');
const ENTRY_POINT = join(ROOT, 'infra', 'index.ts');
const PACKAGE_NAME = 'client-vpn-connection-logging';
const EXAMPLE_DIR = join(ROOT, 'test', 'package', 'tsdoc-example');

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts'],
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  strict: true,
  esModuleInterop: true,
  resolveJsonModule: true,
  skipLibCheck: true,
  types: ['node'],
  noEmit: true,
  // An example imports the package by its name, as a user's app does.
  baseUrl: ROOT,
  paths: { [PACKAGE_NAME]: ['infra/index.ts'] },
};

interface PublicExport {
  readonly name: string;
  readonly kind: 'class' | 'error class' | 'function' | 'interface' | 'other';
  readonly declaration: ts.Declaration;
}

interface Example {
  readonly exportName: string;
  readonly file: string;
  readonly code: string;
}

// Errors are named so (docs/architecture.md); they need no example.
function isErrorClass(declaration: ts.ClassDeclaration): boolean {
  return declaration.name?.text.endsWith('Error') ?? false;
}

function kindOf(declaration: ts.Declaration): PublicExport['kind'] {
  if (ts.isClassDeclaration(declaration)) return isErrorClass(declaration) ? 'error class' : 'class';
  if (ts.isFunctionDeclaration(declaration)) return 'function';
  if (ts.isInterfaceDeclaration(declaration)) return 'interface';
  return 'other';
}

function publicExports(program: ts.Program): PublicExport[] {
  const checker = program.getTypeChecker();
  const entry = program.getSourceFile(ENTRY_POINT);
  const moduleSymbol = entry && checker.getSymbolAtLocation(entry);
  if (moduleSymbol === undefined) throw new Error(`${ENTRY_POINT} is not a module`);
  return checker.getExportsOfModule(moduleSymbol).flatMap((symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const declaration = target.declarations?.[0];
    return declaration ? [{ name: symbol.name, kind: kindOf(declaration), declaration }] : [];
  });
}

// The TSDoc comment's text without its `/**`, `*/` and leading `*`s, indentation inside kept.
function docCommentLines(node: ts.Node): string[] {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  return docs.flatMap((doc) =>
    doc
      .getText()
      .replace(/^\/\*\*/, '')
      .replace(/\*\/$/, '')
      .split('\n')
      .map((line) => line.replace(/^\s*\* ?/, '')),
  );
}

/** The fenced TypeScript code of each `@example` block in a declaration's TSDoc. */
function examplesOf(exported: PublicExport): Example[] {
  const text = docCommentLines(exported.declaration).join('\n');
  const blocks = text.split(/^@example\b.*$/m).slice(1);
  return blocks.flatMap((block, index) => {
    const fence = /^```ts\n([\s\S]*?)^```/m.exec(block.split(/^@\w+/m)[0]);
    return fence
      ? [
          {
            exportName: exported.name,
            file: join(EXAMPLE_DIR, `${exported.name}-${index}.ts`),
            code: fence[1],
          },
        ]
      : [];
  });
}

/**
 * The type errors of the examples, each compiled as its own module against the sources; the program that
 * read the entry point lends its parsed files.
 */
function typeErrors(examples: readonly Example[], oldProgram: ts.Program): string[] {
  const sources = new Map(examples.map((example) => [example.file, `${example.code}\nexport {};\n`]));
  const host = ts.createCompilerHost(COMPILER_OPTIONS);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (file) => sources.has(file) || fileExists.call(host, file);
  host.readFile = (file) => sources.get(file) ?? readFile.call(host, file);
  host.getSourceFile = (file, language, ...rest) => {
    const source = sources.get(file);
    return source === undefined
      ? getSourceFile.call(host, file, language, ...rest)
      : ts.createSourceFile(file, source, language, true);
  };
  const program = ts.createProgram([...sources.keys()], COMPILER_OPTIONS, host, oldProgram);
  return examples.flatMap((example) => {
    const file = program.getSourceFile(example.file);
    const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    return diagnostics.map(
      (diagnostic) =>
        `@example of ${example.exportName}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`,
    );
  });
}

describe('the TSDoc of the package entry point (infra/index.ts)', () => {
  const program = ts.createProgram([ENTRY_POINT], COMPILER_OPTIONS);
  const exported = publicExports(program);
  const examples = exported.flatMap(examplesOf);

  it('finds the exports and their examples', () => {
    expect(exported.map(({ name }) => name)).toEqual(
      expect.arrayContaining(['ConnectionLoggingEnforcement', 'readDeploymentSettings']),
    );
    expect(examples.length).toBeGreaterThan(10);
  });

  it('gives every exported construct, plugin and function an @example with a ```ts block', () => {
    const withoutExample = exported
      .filter(({ kind }) => kind === 'class' || kind === 'function')
      .filter((candidate) => examplesOf(candidate).length === 0)
      .map(({ name }) => name);
    expect(withoutExample).toEqual([]);
  });

  it('shows @default on every optional member of the exported props and settings', () => {
    const withoutDefault = exported
      .filter(({ kind }) => kind === 'interface')
      .flatMap(({ name, declaration }) =>
        (declaration as ts.InterfaceDeclaration).members
          .filter((member) => member.questionToken !== undefined)
          .filter((member) => !ts.getJSDocTags(member).some((tag) => tag.tagName.text === 'default'))
          .map((member) => `${name}.${member.name?.getText()}`),
      );
    expect(withoutDefault).toEqual([]);
  });

  it('imports only what the package exports, from the package by its name', () => {
    const foreign = examples.flatMap((example) =>
      [...example.code.matchAll(/from '([^']+)'/g)]
        .map((match) => match[1])
        .filter((specifier) => specifier.startsWith('.'))
        .map((specifier) => `${example.exportName}: ${specifier}`),
    );
    expect(foreign).toEqual([]);
  });

  // An example as it would rot after a rename, type-checked with the others (one compilation for all).
  const rotten: Example = {
    exportName: 'Rotten',
    file: join(EXAMPLE_DIR, 'Rotten-0.ts'),
    code: `import { ClientVpnLoggingRule } from '${PACKAGE_NAME}';\nconsole.log(ClientVpnLoggingRule);\n`,
  };
  let errors: string[] = [];
  beforeAll(() => {
    errors = typeErrors([...examples, rotten], program);
  });

  it('has examples that type-check against the sources', () => {
    expect(errors.filter((error) => !error.startsWith('@example of Rotten:'))).toEqual([]);
  });

  it('reports an example that names something the package does not export', () => {
    expect(errors.filter((error) => error.startsWith('@example of Rotten:'))).toEqual([
      expect.stringContaining("has no exported member 'ClientVpnLoggingRule'"),
    ]);
  });
});
