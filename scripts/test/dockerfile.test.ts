import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { PARTS } from '../lib/processes.ts';
import { CONTRACT_PORTS, root } from './compose-file.ts';
import { copies, dockerignore, readDockerfile, type Stage } from './dockerfile-parse.ts';

interface Lockfile {
  packages: Record<string, { dev?: boolean; link?: boolean } & Record<string, unknown>>;
}

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
    for (const path of ['.env', 'node_modules/zod', 'services/auth/dist/main.js', 'services/auth/test/x.ts'])
      expect(ignored(path), path).toBe(true);
  });

  it('copies every workspace manifest before npm ci, and the lockfile matches each (npm ci refuses otherwise)', async () => {
    const manifests = copies([stage('deps')!]).flatMap((copy) => copy.sources);
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
    const runtimeCopies = copies([stage('runtime')!]).map((copy) => copy.sources.join(' '));
    // The test kit is never built and never shipped.
    expect(built).not.toContain('services/testkit');
    expect(runtimeCopies.filter((copy) => copy.includes('testkit'))).toEqual([]);
    for (const dir of dirs.filter((candidate) => candidate !== 'services/testkit')) {
      expect(built, `${dir} in tsconfig.build.json`).toContain(dir);
      const config = await readJson<{ compilerOptions: Record<string, string> }>(
        `${dir}/tsconfig.build.json`,
      );
      expect(config.compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist' });
      expect(runtimeCopies).toContain(`/app/${dir}/dist`);
      expect(runtimeCopies).toContain(`/app/${dir}/package.json`);
    }
    for (const part of PARTS) {
      expect(stage(part.name)?.base, part.name).toBe('runtime');
      expect(existsSync(new URL(`${part.dir}/src/main.ts`, root)), part.dir).toBe(true);
      const [cmd] = instructions(part.name, 'CMD');
      expect(JSON.parse(cmd?.args ?? 'null'), part.name).toEqual(['node', `${part.dir}/dist/main.js`]);
      expect(instructions(part.name, 'EXPOSE')[0]?.args, part.name).toBe(String(CONTRACT_PORTS[part.name]));
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

  it('installs with npm ci from the lockfile and ships production dependencies and compiled code only', async () => {
    const runs = (name: string) => instructions(name, 'RUN').map((instruction) => instruction.args);
    expect(runs('deps').join('\n')).toMatch(/\bnpm ci\b/);
    expect(runs('build').join('\n')).toMatch(/\bnpm run build\b/);
    expect(runs('prod-deps').join('\n')).toMatch(/\bnpm ci --omit=dev\b/);
    const runtime = copies([stage('runtime')!]);
    expect(runtime.find((copy) => copy.destination === 'node_modules')?.from).toBe('prod-deps');
    // Besides manifests and dist/, only assets (the bot's .ftl texts, the sandbox's web page): no TypeScript.
    const assets = runtime
      .filter((copy) => copy.from === 'build')
      .flatMap((copy) => copy.sources)
      .filter((path) => !/\/(dist|package\.json)$/.test(path));
    expect(assets.length).toBeGreaterThan(0);
    for (const source of assets) {
      const files = await filesUnder(source.replace(/^\/app\//, ''));
      expect(files.length, source).toBeGreaterThan(0);
      expect(
        files.filter((file) => file.endsWith('.ts')),
        source,
      ).toEqual([]);
    }
  });

  it('finds every package a part loads at run time among the production dependencies of the lockfile', async () => {
    const lock = await readJson<Lockfile>('package-lock.json');
    const builtin = new Set(builtinModules);
    const missing = new Set<string>();
    // @shop/testkit is a dev-only workspace that loads vitest; only tests import it.
    const parts = dirs.filter((dir) => dir !== 'services/testkit');
    const sources = (await Promise.all(parts.map((dir) => filesUnder(`${dir}/src`)))).flat();
    for (const file of sources.filter((path) => path.endsWith('.ts'))) {
      for (const specifier of runtimeImports(await readFile(new URL(file, root), 'utf8'))) {
        if (specifier.startsWith('.') || specifier.startsWith('node:') || builtin.has(specifier)) continue;
        const entry = lock.packages[`node_modules/${packageName(specifier)}`];
        if (!entry || entry.dev) missing.add(`${file}: ${specifier}`);
      }
    }
    expect(sources.length).toBeGreaterThan(50);
    expect([...missing]).toEqual([]);
  });
});
