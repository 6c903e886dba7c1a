/**
 * What a part's image may hold, checked against its real file list: the part it runs (manifest,
 * compiled JavaScript and assets), services/shared's compiled JavaScript, and the production
 * dependencies of its workspace exactly as the lockfile has them. Nothing else: no other part, no
 * test code or test kit, no TypeScript sources, declarations or build info, no devDependency.
 */
import { posix } from 'node:path';
import { IMAGE_PLATFORM, productionLocations, type Lockfile } from '../lib/lockfile.ts';
import type { ImageSpec } from './images.ts';
import { podman } from './podman.ts';

export const APP_DIR = '/app';

/** One entry of `find /app -printf '%y\t%P\t%l\n'`: type (f, d, l), path under /app, link target. */
export interface ImageEntry {
  type: string;
  path: string;
  linkTarget?: string;
}

export interface ImageListing {
  /** Every path the image adds to or changes in its base (`podman image diff`), absolute. */
  changedPaths: readonly string[];
  /** Everything under /app. */
  entries: readonly ImageEntry[];
}

/** Test code by its usual places and names, in our dist/ and our assets alike. */
const TEST_CODE = /(^|\/)(test|tests|testing|__tests__|testkit)\/|\.(test|spec)\.[cm]?js(\.map)?$/;
/** What the TypeScript compiler reads or leaves behind, never run by Node in production. */
const BUILD_LEFTOVERS = /\.(d\.[cm]?ts|[cm]?tsx?|tsbuildinfo)$/;
const INSTALLED_PACKAGE = /(^|\/)node_modules\/(@[^/]+\/)?[^/]+$/;
/** A package's own manifest (not one of the package.json files some packages keep in subfolders). */
const PACKAGE_MANIFEST = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\/package\.json$/;
const SHOWN = 5;

/** "a, b, c and 4 more" */
function some(paths: readonly string[]): string {
  const shown = paths.slice(0, SHOWN).join(', ');
  return paths.length > SHOWN ? `${shown} and ${paths.length - SHOWN} more` : shown;
}

const under = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);

/** Every problem with one image's contents, as sentences; none when it holds exactly what it should. */
export function contentProblems(spec: ImageSpec, listing: ImageListing, lock: Lockfile): string[] {
  const problems: string[] = [];
  const report = (what: string, paths: readonly string[]) => {
    if (paths.length) problems.push(`${what}: ${some(paths)}`);
  };
  const files = listing.entries.filter((entry) => entry.type !== 'd');
  const paths = new Set(listing.entries.map((entry) => entry.path));

  report(
    'adds files outside /app',
    listing.changedPaths.filter((path) => !under(path, APP_DIR)),
  );

  // Our own code: two manifests, two dist/ folders, the part's assets.
  const ownRoots = [
    'node_modules',
    'services/shared/package.json',
    'services/shared/dist',
    `${spec.dir}/package.json`,
    `${spec.dir}/dist`,
    ...spec.assets,
  ];
  report(
    'holds what its part does not run (another part, sources, tests)',
    files.filter((file) => !ownRoots.some((root) => under(file.path, root))).map((file) => file.path),
  );
  const compiled = files.filter((file) =>
    ['services/shared/dist', `${spec.dir}/dist`].some((dir) => under(file.path, dir)),
  );
  report(
    'has in dist/ something other than JavaScript and its source maps',
    compiled.filter((file) => !/\.js(\.map)?$/.test(file.path)).map((file) => file.path),
  );
  report(
    'has source maps without their JavaScript',
    compiled
      .filter((file) => file.path.endsWith('.js.map') && !paths.has(file.path.slice(0, -'.map'.length)))
      .map((file) => file.path),
  );
  report(
    'holds test code',
    files
      .filter((file) => !under(file.path, 'node_modules') && TEST_CODE.test(file.path))
      .map((file) => file.path),
  );
  report(
    'holds TypeScript sources, declarations or build info',
    files.filter((file) => BUILD_LEFTOVERS.test(file.path)).map((file) => file.path),
  );
  report(
    'holds source maps of dependencies',
    files
      .filter((file) => under(file.path, 'node_modules') && file.path.endsWith('.map'))
      .map((file) => file.path),
  );
  if (!paths.has(`${spec.dir}/dist/main.js`)) problems.push(`has no ${spec.dir}/dist/main.js to run`);
  report(
    'lacks its assets',
    spec.assets.filter((asset) => !files.some((file) => under(file.path, asset) && file.path !== asset)),
  );

  problems.push(...dependencyProblems(spec, listing.entries, lock));
  return problems;
}

/** The installed packages against the lockfile: the same set, every workspace link resolving. */
function dependencyProblems(spec: ImageSpec, entries: readonly ImageEntry[], lock: Lockfile): string[] {
  const problems: string[] = [];
  const byPath = new Map(entries.map((entry) => [entry.path, entry]));
  const installed = new Set<string>();
  for (const entry of entries) {
    const manifest = PACKAGE_MANIFEST.exec(entry.path);
    if (entry.type === 'f' && manifest) installed.add(manifest[1]!);
    if (entry.type === 'l' && INSTALLED_PACKAGE.test(entry.path)) installed.add(entry.path);
  }
  const ownName = lock.packages[spec.dir]?.name;
  const expected = productionLocations(lock, spec.dir, IMAGE_PLATFORM);
  if (ownName) expected.add(`node_modules/${ownName}`);

  const unexpected = [...installed].filter((location) => !expected.has(location));
  const dev = unexpected.filter((location) => lock.packages[location]?.dev);
  if (dev.length) problems.push(`installs devDependencies: ${some(dev)}`);
  const other = unexpected.filter((location) => !lock.packages[location]?.dev);
  if (other.length) problems.push(`installs packages its workspace does not depend on: ${some(other)}`);
  // npm leaves out an optional package it cannot use here (sharp's wasm32 build, whose lockfile
  // entry names no cpu): only a missing required one is a problem.
  const missing = [...expected].filter(
    (location) => !installed.has(location) && !lock.packages[location]?.optional,
  );
  if (missing.length) problems.push(`lacks production dependencies: ${some(missing)}`);

  for (const location of expected) {
    const entry = lock.packages[location];
    if (!entry?.link || !entry.resolved) continue;
    const link = byPath.get(location);
    const target = link?.linkTarget && posix.normalize(posix.join(posix.dirname(location), link.linkTarget));
    if (
      link?.type !== 'l' ||
      target !== entry.resolved ||
      byPath.get(`${entry.resolved}/package.json`)?.type !== 'f'
    )
      problems.push(`${location} does not lead to ${entry.resolved}`);
  }
  return problems;
}

/** The parts of an image's configuration that say how it runs. */
export interface ImageConfig {
  User?: string;
  Cmd?: string[];
  Entrypoint?: string[] | null;
  StopSignal?: string;
  Env?: string[];
}

/** It runs its own main.js with node as PID 1 (which gets SIGTERM), not as root, in production mode. */
export function configProblems(spec: ImageSpec, config: ImageConfig): string[] {
  const problems: string[] = [];
  if (!config.User || ['root', '0'].includes(config.User.split(':')[0]!))
    problems.push(`runs as ${config.User || 'root'}, not as an unprivileged user`);
  const command = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
  const wanted = ['node', `${spec.dir}/dist/main.js`];
  if (command.join(' ') !== wanted.join(' '))
    problems.push(`runs "${command.join(' ')}", not "${wanted.join(' ')}"`);
  if (config.StopSignal && config.StopSignal !== 'SIGTERM' && config.StopSignal !== '15')
    problems.push(`is stopped with ${config.StopSignal}, not SIGTERM`);
  if (!config.Env?.includes('NODE_ENV=production')) problems.push('does not set NODE_ENV=production');
  return problems;
}

/** What `contentProblems` and `configProblems` read, from podman's storage (nothing is started but `find`). */
export async function readImage(
  image: string,
  baseImage: string,
): Promise<{ listing: ImageListing; config: ImageConfig }> {
  const [diff, found, inspected] = await Promise.all([
    podman(['image', 'diff', image, baseImage]),
    podman([
      'run',
      '--rm',
      '--network=none',
      '--entrypoint=find',
      image,
      APP_DIR,
      '-mindepth',
      '1',
      '-printf',
      '%y\\t%P\\t%l\\n',
    ]),
    podman(['image', 'inspect', '--format', '{{json .Config}}', image]),
  ]);
  const changedPaths = diff
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[1])
    .filter((path): path is string => Boolean(path));
  const entries = found
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [type = '', path = '', linkTarget] = line.split('\t');
      return linkTarget ? { type, path, linkTarget } : { type, path };
    });
  return { listing: { changedPaths, entries }, config: JSON.parse(inspected) as ImageConfig };
}
