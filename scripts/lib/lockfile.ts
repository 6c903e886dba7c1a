/**
 * What `npm ci --omit=dev --workspace <dir>` installs, read from package-lock.json alone: the
 * Dockerfile's test checks it statically, and scripts/containers checks each built image against it.
 */

export interface LockEntry {
  name?: string;
  version?: string;
  dev?: boolean;
  link?: boolean;
  resolved?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  os?: string[];
  cpu?: string[];
  libc?: string[];
}

export interface Lockfile {
  packages: Record<string, LockEntry & Record<string, unknown>>;
}

/** The platform a package is installed for: npm skips an optional package made for another one. */
export interface Platform {
  os: string;
  cpu: string;
  libc: string;
}

/** What every image runs on: Debian (glibc) on x86-64. */
export const IMAGE_PLATFORM: Platform = { os: 'linux', cpu: 'x64', libc: 'glibc' };

/** npm's rule for `os`/`cpu`/`libc` lists: `!value` excludes, any plain value must match. */
function allows(list: string[] | undefined, value: string): boolean {
  if (!list?.length) return true;
  if (list.includes(`!${value}`)) return false;
  const wanted = list.filter((item) => !item.startsWith('!'));
  return wanted.length === 0 || wanted.includes(value);
}

const fitsPlatform = (entry: LockEntry, platform: Platform) =>
  allows(entry.os, platform.os) && allows(entry.cpu, platform.cpu) && allows(entry.libc, platform.libc);

/** Where Node finds package `name` from `from`: the nearest node_modules up the tree that has it. */
function resolveIn(lock: Lockfile, from: string, name: string): string | undefined {
  const segments = from.split('/');
  for (let end = segments.length; end >= 0; end--) {
    const base = segments.slice(0, end).join('/');
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (candidate in lock.packages) return candidate;
  }
  return undefined;
}

/**
 * The lockfile locations (`node_modules/pg`, `node_modules/@shop/shared`, ...) installed for the
 * workspace at `dir` without dev dependencies: its dependencies, theirs, and so on, each resolved
 * the way Node does, workspace links followed to their folder. With `platform`, optional packages
 * made for another platform are left out, as npm leaves them out, but not what their dependencies
 * installed outside their folder.
 */
export function productionLocations(lock: Lockfile, dir: string, platform?: Platform): Set<string> {
  const locations = new Set<string>();
  const seen = new Set<string>();
  // Optional packages for another platform: npm removes each with its folder, yet keeps the
  // packages its dependencies brought in elsewhere in the tree (sharp-wasm32's tslib, say).
  const skipped: string[] = [];
  const removed = (location: string) => skipped.some((root) => location.startsWith(`${root}/`));
  const visit = (location: string) => {
    if (seen.has(location)) return;
    seen.add(location);
    const entry = lock.packages[location];
    if (!entry) return;
    if (entry.link && entry.resolved) return visit(entry.resolved);
    const optionalPeers = Object.entries(entry.peerDependenciesMeta ?? {})
      .filter(([, meta]) => meta.optional)
      .map(([name]) => name);
    const wanted = { ...entry.peerDependencies, ...entry.optionalDependencies, ...entry.dependencies };
    for (const name of Object.keys(wanted)) {
      // An optional peer is installed only when something else asks for it.
      if (optionalPeers.includes(name) && !entry.dependencies?.[name]) continue;
      const found = resolveIn(lock, location, name);
      if (!found) continue;
      const target = lock.packages[found];
      if (platform && target && !fitsPlatform(target, platform)) skipped.push(found);
      else if (!removed(found)) locations.add(found);
      visit(found);
    }
  };
  visit(dir);
  return locations;
}

/** The package name at a lockfile location: `node_modules/a/node_modules/@b/c` -> `@b/c`. */
export const packageNameAt = (location: string): string =>
  location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);

/** The package names `productionLocations` installs. */
export const productionClosure = (lock: Lockfile, dir: string): Set<string> =>
  new Set([...productionLocations(lock, dir)].map(packageNameAt));
