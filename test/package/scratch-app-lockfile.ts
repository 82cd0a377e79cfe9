/** Lock entries as package-lock.json v3 keeps them: by install path (`node_modules/a/node_modules/b`). */
export interface LockfilePackage {
  readonly version?: string;
  readonly resolved?: string;
  readonly integrity?: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { readonly optional?: boolean }>>;
  readonly inBundle?: boolean;
  readonly [field: string]: unknown;
}

/** A package-lock.json, version 3. */
export interface Lockfile {
  readonly name?: string;
  readonly lockfileVersion: number;
  readonly packages: Readonly<Record<string, LockfilePackage>>;
}

/** A package the lock file needs and the repository's lock does not have. */
export class MissingLockEntryError extends Error {
  constructor(name: string, from: string) {
    super(`${name} (needed by ${from || 'the scratch app'}) is not in the repository's package-lock.json`);
    this.name = 'MissingLockEntryError';
  }
}

// Node's look-up: the nearest node_modules/<name> from `from` up to the root.
function resolve(lock: Lockfile, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (base === '') return undefined;
    const parent = base.lastIndexOf('/node_modules/');
    base = parent < 0 ? '' : base.slice(0, parent);
  }
}

// Which of the repository's trees a package was in; the scratch app needs them all. `optional` stays:
// npm skips an optional package that does not fit the platform.
const INSTALL_FLAGS = ['dev', 'devOptional', 'peer'];

/**
 * The package-lock.json of a scratch app that depends on `dependencies` (each at the version this
 * repository's lock file has) and on the packed tarball, whose own dependencies come from the same
 * lock: `npm ci --offline` then installs exactly the versions this repository tests, from the npm cache
 * that `npm ci` filled, without asking the registry for anything.
 *
 * @param repositoryLock - this repository's package-lock.json
 * @param app - the scratch app's name and the version ranges of its dependencies (as its package.json says)
 * @param tarball - the packed package: its name, version, file spec and its package.json's dependency fields
 * @returns the scratch app's lock file
 */
export function scratchAppLockfile(
  repositoryLock: Lockfile,
  app: { readonly name: string; readonly dependencies: Readonly<Record<string, string>> },
  tarball: {
    readonly name: string;
    readonly version: string;
    readonly spec: string;
    readonly dependencies: Readonly<Record<string, string>>;
    readonly peerDependencies: Readonly<Record<string, string>>;
    /** Its commands: npm ci links them from the lock file's entry. */
    readonly bin?: Readonly<Record<string, string>>;
  },
): Lockfile {
  const packages: Record<string, LockfilePackage> = {
    '': { name: app.name, dependencies: { ...app.dependencies } },
    [`node_modules/${tarball.name}`]: {
      version: tarball.version,
      resolved: tarball.spec,
      license: 'Apache-2.0',
      dependencies: { ...tarball.dependencies },
      peerDependencies: { ...tarball.peerDependencies },
      ...(tarball.bin === undefined ? {} : { bin: { ...tarball.bin } }),
    },
  };
  const pending: [string, string][] = [];
  const want = (from: string, names: readonly string[]): void => {
    for (const name of names) pending.push([from, name]);
  };
  want(
    '',
    Object.keys(app.dependencies).filter((name) => name !== tarball.name),
  );
  // The tarball is installed at the top, so its dependencies resolve from the top, as in the repository.
  want('', [...Object.keys(tarball.dependencies), ...Object.keys(tarball.peerDependencies)]);
  while (pending.length > 0) {
    const [from, name] = pending.pop() as [string, string];
    const location = resolve(repositoryLock, from, name);
    if (location === undefined) throw new MissingLockEntryError(name, from);
    if (packages[location]) continue;
    const entry = repositoryLock.packages[location] as LockfilePackage;
    packages[location] = withoutInstallFlags(entry);
    // A bundled dependency comes inside its parent's tarball (npm does not fetch it), but may itself
    // depend on packages outside the bundle.
    for (const [path, bundled] of Object.entries(repositoryLock.packages)) {
      if (bundled.inBundle && path.startsWith(`${location}/node_modules/`) && !packages[path]) {
        packages[path] = withoutInstallFlags(bundled);
        want(path, dependenciesOf(repositoryLock, path, bundled));
      }
    }
    want(location, dependenciesOf(repositoryLock, location, entry));
  }
  return { name: app.name, lockfileVersion: 3, packages };
}

// What a package needs installed: its dependencies, its optional dependencies the lock has, and its
// required peers.
function dependenciesOf(lock: Lockfile, location: string, entry: LockfilePackage): string[] {
  const optionalPeers = entry.peerDependenciesMeta ?? {};
  return [
    ...Object.keys(entry.dependencies ?? {}),
    ...Object.keys(entry.optionalDependencies ?? {}).filter((name) => resolve(lock, location, name)),
    ...Object.keys(entry.peerDependencies ?? {}).filter((peer) => !optionalPeers[peer]?.optional),
  ];
}

function withoutInstallFlags(entry: LockfilePackage): LockfilePackage {
  return Object.fromEntries(
    Object.entries(entry).filter(([field]) => !INSTALL_FLAGS.includes(field)),
  ) as LockfilePackage;
}
