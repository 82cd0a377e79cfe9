/**
 * Whether a documented command could fetch a package the reader did not choose: `npx` of a command no
 * installed package provides (npx would download whatever the registry holds under that name, ours is
 * not published), or `npm install` of a name that is neither in the lock file nor a local tarball.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a command may run or install without fetching an unknown package. */
export interface KnownPackages {
  /** Commands the repository's own dependencies install into `node_modules/.bin` (`cdk`, `tsx`, …). */
  readonly installedBins: ReadonlySet<string>;
  /** Packages of the lock file: published packages the repository already depends on. */
  readonly lockedPackages: ReadonlySet<string>;
  /** The one tarball name `npm pack` writes: `<name>-<version>.tgz`. */
  readonly tarballName: string;
  /** This package's name: not on the registry, so never installed by name. */
  readonly ownName: string;
}

/**
 * Reads what is known from a repository: its package.json, lock file and installed dependencies.
 *
 * @param root - the repository root
 * @returns the known commands, packages and tarball name
 */
export function knownPackages(root: string): KnownPackages {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, unknown>;
  };
  const direct = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
  const installedBins = new Set<string>();
  for (const name of direct) {
    const file = join(root, 'node_modules', name, 'package.json');
    if (!existsSync(file)) continue;
    const { bin } = JSON.parse(readFileSync(file, 'utf8')) as { bin?: string | Record<string, string> };
    if (typeof bin === 'string') installedBins.add(name.replace(/^@[^/]+\//, ''));
    else for (const command of Object.keys(bin ?? {})) installedBins.add(command);
  }
  const lockedPackages = new Set(
    Object.keys(lock.packages)
      .filter((key) => key.startsWith('node_modules/'))
      .map((key) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length)),
  );
  return {
    installedBins,
    lockedPackages,
    tarballName: `${manifest.name}-${manifest.version}.tgz`,
    ownName: manifest.name,
  };
}

// `name`, `name@range` or `@scope/name@range`: the package a registry spec names.
function packageNameOf(spec: string): string {
  const at = spec.indexOf('@', 1);
  return at < 0 ? spec : spec.slice(0, at);
}

function installProblem(spec: string, known: KnownPackages): string | undefined {
  if (/^(\.{0,2}\/|file:)/.test(spec) || spec.startsWith('$')) {
    return spec.endsWith(`/${known.tarballName}`) || spec === known.tarballName
      ? undefined
      : `installs ${spec}, which is not the tarball npm pack writes (${known.tarballName})`;
  }
  if (spec === known.tarballName) return undefined;
  const name = packageNameOf(spec);
  if (name === known.ownName) return `installs ${name} from the registry, where it is not published`;
  return known.lockedPackages.has(name)
    ? undefined
    : `installs ${name}, a package the lock file does not know`;
}

/**
 * Why a command could fetch an unknown package, or `undefined` when it cannot.
 *
 * @param argv - the command's words
 * @param known - what the repository knows
 * @returns the problem, in a sentence
 */
export function unknownPackageFetch(argv: readonly string[], known: KnownPackages): string | undefined {
  const [program, ...rest] = argv;
  if (program === 'npx' || (program === 'npm' && rest[0] === 'exec')) {
    const words = program === 'npx' ? rest : rest.slice(1);
    const command = words.find((word) => !word.startsWith('-'));
    if (words.includes('--no-install') || words.includes('--no')) return undefined;
    if (command !== undefined && known.installedBins.has(command)) return undefined;
    return `runs ${command ?? 'npx'} without --no-install: npx would download whatever the registry holds under that name`;
  }
  if (program === 'npm' && ['install', 'i', 'add'].includes(rest[0] ?? '')) {
    const specs = rest.slice(1).filter((word) => !word.startsWith('-'));
    for (const spec of specs) {
      const problem = installProblem(spec, known);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}
