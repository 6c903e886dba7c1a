import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_ASSETS as ASSETS } from '../containers/images.ts';
import { productionClosure, type Lockfile } from '../lib/lockfile.ts';
import { PARTS } from '../lib/processes.ts';
import { CONTRACT_PORTS, root } from './compose-file.ts';
import { copies, dockerignore, readDockerfile, type Stage } from './dockerfile-parse.ts';

const packageNameOf = (lock: Lockfile, dir: string) => lock.packages[dir]?.name ?? dir;

const readJson = async <T>(path: string) => JSON.parse(await readFile(new URL(path, root), 'utf8')) as T;

/** Package folders of the npm workspaces (root package.json `workspaces`, `dir/*` expanded). */
async function workspaces(): Promise<string[]> {
  const { workspaces: globs } = await readJson<{ workspaces: string[] }>('package.json');
  const dirs: string[] = [];
  for (const glob of globs) {
    if (!glob.endsWith('/*')) dirs.push(glob);
    else {
      const parent = glob.slice(0, -2);
      for (const name of await readdir(new URL(parent, root))) dirs.push(`${parent}/${name}`);
    }
  }
  return dirs.filter((dir) => existsSync(new URL(`${dir}/package.json`, root))).sort();
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(new URL(dir, root), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => `${entry.parentPath}/${entry.name}`.slice(new URL(root).pathname.length));
}

/** Packages a source file loads at run time: `import type` / `export type` are erased. */
function runtimeImports(source: string): string[] {
  const found = source.matchAll(
    /(?:^|\n)\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g,
  );
  const dynamic = source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g);
  return [
    ...[...found].filter((match) => !match[1]).map((match) => match[2]!),
    ...[...dynamic].map((match) => match[1]!),
  ];
}

const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

let stages: Stage[];
let args: Map<string, string>;
let dirs: string[];
const stage = (name: string) => stages.find((candidate) => candidate.name === name);
const instructions = (name: string, keyword: string) =>
  stage(name)?.instructions.filter((instruction) => instruction.keyword === keyword) ?? [];

beforeAll(async () => {
  ({ stages, args } = await readDockerfile());
  dirs = await workspaces();
});

describe('Dockerfile', () => {
  it('copies from the build context only paths that exist, and .dockerignore lets every source through', async () => {
    const ignored = await dockerignore();
    const fromContext = copies(stages).filter((copy) => !copy.from);
    expect(fromContext.length).toBeGreaterThan(5);
    for (const source of fromContext.flatMap((copy) => copy.sources)) {
      expect(existsSync(new URL(source, root)), source).toBe(true);
      expect(ignored(source), source).toBe(false);
    }
    const sources = (await Promise.all(dirs.map((dir) => filesUnder(`${dir}/src`)))).flat();
    expect(sources.filter(ignored)).toEqual([]);
    // What must never reach an image, and what only slows the upload.
    for (const path of [
      '.env',
      'node_modules/zod',
      'services/auth/dist/main.js',
      'services/auth/dist-types/main.d.ts',
      'services/auth/test/x.ts',
    ])
      expect(ignored(path), path).toBe(true);
  });

  it('copies every workspace manifest before npm ci, and the lockfile matches each (npm ci refuses otherwise)', async () => {
    const manifests = copies([stage('manifests')!]).flatMap((copy) => copy.sources);
    expect(stage('deps')?.base).toBe('manifests');
    expect(dirs.filter((dir) => !manifests.includes(`${dir}/package.json`))).toEqual([]);
    expect(manifests).toContain('package-lock.json');

    const lock = await readJson<Lockfile>('package-lock.json');
    const fields = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];
    for (const dir of dirs) {
      const manifest = await readJson<Record<string, unknown>>(`${dir}/package.json`);
      const locked = lock.packages[dir];
      expect(locked, `${dir} is missing from package-lock.json`).toBeDefined();
      for (const field of fields) expect(locked?.[field], `${dir} ${field}`).toEqual(manifest[field]);
      const link = lock.packages[`node_modules/${manifest.name as string}`];
      expect(link, `${dir} link`).toMatchObject({ resolved: dir, link: true });
    }
  });

  it('has a target per part that runs its compiled main.js with node, exposing its contract port', async () => {
    const build = await readJson<{ references: { path: string }[] }>('tsconfig.build.json');
    const built = build.references.map((reference) => reference.path.replace(/\/tsconfig\.build\.json$/, ''));
    // The test kit is never built.
    expect(built).not.toContain('services/testkit');
    for (const dir of dirs.filter((candidate) => candidate !== 'services/testkit')) {
      expect(built, `${dir} in tsconfig.build.json`).toContain(dir);
      const config = await readJson<{ compilerOptions: Record<string, string> }>(
        `${dir}/tsconfig.build.json`,
      );
      // dist/ is what images copy; what tsc -b needs between packages stays out of it.
      expect(config.compilerOptions).toMatchObject({
        rootDir: 'src',
        outDir: 'dist',
        declarationDir: 'dist-types',
        tsBuildInfoFile: 'dist-types/.tsbuildinfo',
      });
    }
    for (const part of PARTS) {
      expect(stage(part.name)?.base, part.name).toBe('runtime');
      expect(existsSync(new URL(`${part.dir}/src/main.ts`, root)), part.dir).toBe(true);
      const [cmd] = instructions(part.name, 'CMD');
      expect(JSON.parse(cmd?.args ?? 'null'), part.name).toEqual(['node', `${part.dir}/dist/main.js`]);
      expect(instructions(part.name, 'EXPOSE')[0]?.args, part.name).toBe(String(CONTRACT_PORTS[part.name]));
    }
  });

  it("gives each part's image exactly its own things: shared's and its own compiled code, its workspace's production modules, the bot's texts or the sandbox's page", () => {
    // The base every part shares carries no file of ours, so no part carries another's.
    expect(copies([stage('runtime')!])).toEqual([]);
    for (const part of PARTS) {
      const own = [
        `${part.name}-modules:/app/node_modules -> node_modules`,
        'build:/app/services/shared/package.json -> services/shared/',
        'build:/app/services/shared/dist -> services/shared/dist',
        `build:/app/${part.dir}/package.json -> ${part.dir}/`,
        `build:/app/${part.dir}/dist -> ${part.dir}/dist`,
        ...(ASSETS[part.name] ?? []).map((asset) => `build:/app/${asset} -> ${asset}`),
      ];
      const copied = copies([stage(part.name)!]).flatMap((copy) =>
        copy.sources.map((source) => `${copy.from ?? 'context'}:${source} -> ${copy.destination}`),
      );
      expect(copied.sort(), part.name).toEqual(own.sort());
      const modules = instructions(`${part.name}-modules`, 'RUN').map((run) => run.args);
      // From the manifests alone: no node_modules of the full install to delete first.
      expect(stage(`${part.name}-modules`)?.base, part.name).toBe('manifests');
      expect(modules.join('\n'), part.name).toMatch(
        new RegExp(`\\bnpm ci --omit=dev\\b.* --workspace ${part.dir} && sh scripts/prune-modules\\.sh$`),
      );
    }
  });

  it("sends an image nothing of the repository but compiled JavaScript, its source maps and each part's assets", async () => {
    const ignored = await dockerignore();
    const runtime = instructions('runtime', 'ENV')
      .map((env) => env.args)
      .join(' ');
    // Source maps are worth their bytes only while Node reads them for stack traces.
    expect(runtime).toMatch(/\bNODE_OPTIONS=--enable-source-maps\b/);
    const assets = Object.values(ASSETS).flat();
    for (const asset of assets) {
      const files = (await filesUnder(asset)).filter((file) => !ignored(file));
      expect(files.length, asset).toBeGreaterThan(0);
      expect(
        files.filter((file) => !/\.(ftl|html|css|js|svg)$/.test(file)),
        asset,
      ).toEqual([]);
    }
  });

  it('builds on Node 24 slim and runs as an unprivileged user in production mode, stopped by SIGTERM', () => {
    expect(args.get('NODE_IMAGE')).toMatch(/^node:24(\.\d+)*-slim$/);
    const names = stages.map((candidate) => candidate.name);
    for (const [index, { base }] of stages.entries())
      expect(base === '${NODE_IMAGE}' || names.slice(0, index).includes(base), base).toBe(true);
    const runtime = (keyword: string) =>
      instructions('runtime', keyword).map((instruction) => instruction.args);
    expect(runtime('ENV').join(' ')).toMatch(/\bNODE_ENV=production\b/);
    expect(runtime('USER')).toEqual(['node']);
    expect(runtime('STOPSIGNAL')).toEqual(['SIGTERM']);
  });

  it('installs with npm ci from the lockfile and builds with npm run build', () => {
    const runs = (name: string) => instructions(name, 'RUN').map((instruction) => instruction.args);
    expect(runs('deps').join('\n')).toMatch(/\bnpm ci\b/);
    expect(runs('build').join('\n')).toMatch(/\bnpm run build\b/);
    // npm runs prebuild (scripts/clean-build.ts) first: the build stage must have it.
    expect(copies([stage('build')!]).flatMap((copy) => copy.sources)).toContain('scripts/clean-build.ts');
  });

  it("finds every package a part loads at run time among its workspace's production dependencies, and links to no other part", async () => {
    const lock = await readJson<Lockfile>('package-lock.json');
    const builtin = new Set(builtinModules);
    const missing: string[] = [];
    let files = 0;
    for (const part of PARTS) {
      // What `npm ci --omit=dev --workspace <dir>` installs: the workspace's dependencies, transitively.
      // npm links the workspace itself too (node_modules/@shop/<part>).
      const installed = productionClosure(lock, part.dir).add(packageNameOf(lock, part.dir));
      expect([...installed].filter((name) => name.startsWith('@shop/')).sort(), part.name).toEqual(
        ['@shop/shared', packageNameOf(lock, part.dir)].sort(),
      );
      const sources = [
        ...(await filesUnder(`${part.dir}/src`)),
        ...(await filesUnder('services/shared/src')),
      ];
      for (const file of sources.filter((path) => /\.tsx?$/.test(path))) {
        files++;
        for (const specifier of runtimeImports(await readFile(new URL(file, root), 'utf8'))) {
          if (specifier.startsWith('.') || specifier.startsWith('node:') || builtin.has(specifier)) continue;
          if (!installed.has(packageName(specifier))) missing.push(`${part.name}: ${file}: ${specifier}`);
        }
      }
    }
    expect(files).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });
});
