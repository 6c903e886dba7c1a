/**
 * Keeps the container check (scripts/containers, run by .ci/run, not by npm test: it builds every
 * image with podman) from falling behind the Dockerfile, the parts and CI: in seconds, no engine.
 */
import { readFile, readdir } from 'node:fs/promises';
import { posix } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectNodeVersion } from '../containers/base.ts';
import {
  configProblems,
  contentProblems,
  type ImageConfig,
  type ImageEntry,
  type ImageListing,
} from '../containers/contents.ts';
import { IMAGES, type ImageSpec } from '../containers/images.ts';
import { IMAGE_PLATFORM, productionLocations, type Lockfile } from '../lib/lockfile.ts';
import { PARTS } from '../lib/processes.ts';
import { root } from './compose-file.ts';
import { readDockerfile } from './dockerfile-parse.ts';

const text = (path: string) => readFile(new URL(path, root), 'utf8');
const image = (part: string) => IMAGES.find((spec) => spec.part === part)!;

let lock: Lockfile;
beforeAll(async () => {
  lock = JSON.parse(await text('package-lock.json')) as Lockfile;
});

/** What a part's image holds when it is right: built the way the lockfile and the Dockerfile say. */
function goodListing(spec: ImageSpec): ImageListing {
  const entries: ImageEntry[] = [];
  const dir = (path: string) => entries.push({ type: 'd', path });
  const file = (path: string) => entries.push({ type: 'f', path });
  for (const pkg of ['services/shared', spec.dir]) {
    dir(pkg);
    file(`${pkg}/package.json`);
    dir(`${pkg}/dist`);
    file(`${pkg}/dist/main.js`);
    file(`${pkg}/dist/main.js.map`);
  }
  for (const asset of spec.assets) file(`${asset}/page.html`);
  const own = lock.packages[spec.dir]!.name!;
  const locations = [...productionLocations(lock, spec.dir, IMAGE_PLATFORM), `node_modules/${own}`];
  for (const location of locations) {
    const { link, resolved } = lock.packages[location]!;
    if (link && resolved)
      entries.push({
        type: 'l',
        path: location,
        linkTarget: posix.relative(posix.dirname(location), resolved),
      });
    else {
      dir(location);
      file(`${location}/package.json`);
      file(`${location}/index.js`);
    }
  }
  file('node_modules/.package-lock.json');
  return { changedPaths: ['/app', ...entries.map((entry) => `/app/${entry.path}`)], entries };
}

const withFiles = (listing: ImageListing, ...paths: string[]): ImageListing => ({
  changedPaths: listing.changedPaths,
  entries: [...listing.entries, ...paths.map((path) => ({ type: 'f', path }))],
});
const without = (listing: ImageListing, path: string): ImageListing => ({
  changedPaths: listing.changedPaths,
  entries: listing.entries.filter((entry) => entry.path !== path && !entry.path.startsWith(`${path}/`)),
});

describe('the container check (scripts/containers)', () => {
  it('builds, checks and runs every target of the Dockerfile that runs a part, and every part has one', async () => {
    const { stages } = await readDockerfile();
    const targets = stages.filter((stage) => stage.base === 'runtime').map((stage) => stage.name);
    expect(IMAGES.map((spec) => spec.target).sort()).toEqual(targets.sort());
    expect(IMAGES.map((spec) => spec.part).sort()).toEqual(PARTS.map((part) => part.name).sort());
    // Each step of run.ts goes over IMAGES, all of them.
    const run = await text('scripts/containers/run.ts');
    expect(run).toMatch(/for \(const spec of IMAGES\)[\s\S]*buildImage\(spec/);
    expect(run).toMatch(/for \(const spec of IMAGES\)[\s\S]*readImage\(spec\.image/);
    expect(run).toMatch(/startContainerShop\(IMAGES\)/);
  });

  it('tags each image with the name the Kubernetes manifests run it by', async () => {
    const dir = new URL('deploy/kubernetes/base/', root);
    const named = new Set<string>();
    for (const name of (await readdir(dir)).filter((file) => file.endsWith('.yaml'))) {
      for (const document of parseAllDocuments(await readFile(new URL(name, dir), 'utf8'))) {
        const found = JSON.stringify(document.toJS()).matchAll(/"image":"([^"]+)"/g);
        for (const [, value] of found) named.add(value!);
      }
    }
    expect(named.size).toBeGreaterThan(0);
    for (const name of named)
      expect(
        IMAGES.map((spec) => spec.image),
        name,
      ).toContain(name);
    // Every part runs in a cluster but the sandbox, which stands in for Telegram.
    expect([...named].sort()).toEqual(
      IMAGES.filter((spec) => spec.part !== 'sandbox')
        .map((spec) => spec.image)
        .sort(),
    );
  });

  it('makes the stand-in base with the Node the project runs on, of the major the Dockerfile names', async () => {
    const { args } = await readDockerfile();
    const [, major] = /^node:(\d+)/.exec(args.get('NODE_IMAGE') ?? '') ?? [];
    expect((await projectNodeVersion()).split('.')[0]).toBe(major);
  });

  it('is run by .ci/run after npm test, and a machine that cannot run containers skips it with one line', async () => {
    const ci = await text('.ci/run');
    const step = /if bash scripts\/containers\/setup-podman\.sh; then\s+npm run containers\s+fi/.exec(ci);
    expect(step, '.ci/run runs the container step behind setup-podman.sh').not.toBeNull();
    expect(ci.indexOf('\nnpm test\n')).toBeGreaterThan(0);
    expect(step!.index).toBeGreaterThan(ci.indexOf('\nnpm test\n'));
    const setup = await text('scripts/containers/setup-podman.sh');
    // Every way out but success goes through say_no: one line on standard output, exit 1.
    expect(setup).toMatch(/say_no\(\) \{\n\s+echo "containers: skipped[^\n]*"\n\s+exit 1\n\}/);
    expect(setup.match(/\bexit\b/g)).toHaveLength(1);
    const manifest = JSON.parse(await text('package.json')) as { scripts: Record<string, string> };
    expect(manifest.scripts.containers).toMatch(/\bscripts\/containers\/run\.ts$/);
  });
});

describe("the rules for an image's contents", () => {
  it.each(IMAGES.map((spec) => [spec.part, spec] as const))(
    'find nothing wrong in the image of %s when it holds exactly its part and its production dependencies',
    (_, spec) => {
      expect(contentProblems(spec, goodListing(spec), lock)).toEqual([]);
    },
  );

  it('find another part, the test kit, tests and sources', () => {
    const auth = image('auth');
    const problems = contentProblems(
      auth,
      withFiles(
        goodListing(auth),
        'services/order/dist/main.js',
        'services/testkit/src/index.ts',
        'services/auth/src/main.ts',
        'services/auth/test/login.int.test.ts',
      ),
      lock,
    );
    expect(problems.join('\n')).toMatch(
      /does not run.*services\/order\/dist\/main\.js.*services\/testkit.*services\/auth\/src.*services\/auth\/test/,
    );
  });

  it("find shared's testing helpers and build leftovers in dist/", () => {
    const order = image('order');
    const problems = contentProblems(
      order,
      withFiles(
        goodListing(order),
        'services/shared/dist/testing/index.js',
        'services/order/dist/main.d.ts',
        'services/order/dist/.tsbuildinfo',
        'services/order/dist/gone.js.map',
      ),
      lock,
    ).join('\n');
    expect(problems).toMatch(/test code: services\/shared\/dist\/testing\/index\.js/);
    expect(problems).toMatch(/other than JavaScript.*main\.d\.ts.*\.tsbuildinfo/);
    expect(problems).toMatch(/declarations or build info:.*main\.d\.ts.*\.tsbuildinfo/);
    expect(problems).toMatch(/source maps without their JavaScript: services\/order\/dist\/gone\.js\.map/);
  });

  it('find declarations, TypeScript and source maps that dependencies ship', () => {
    const web = image('web');
    const problems = contentProblems(
      web,
      withFiles(
        goodListing(web),
        'node_modules/zod/index.d.cts',
        'node_modules/hono/src/hono.ts',
        'node_modules/pg/lib/index.js.map',
      ),
      lock,
    ).join('\n');
    expect(problems).toMatch(
      /declarations or build info: node_modules\/zod\/index\.d\.cts, node_modules\/hono\/src\/hono\.ts/,
    );
    expect(problems).toMatch(/source maps of dependencies: node_modules\/pg\/lib\/index\.js\.map/);
  });

  it('find a devDependency, a package of another workspace, and a missing production dependency', () => {
    const payment = image('payment');
    const listing = without(
      withFiles(goodListing(payment), 'node_modules/vitest/package.json', 'node_modules/grammy/package.json'),
      'node_modules/pg',
    );
    const problems = contentProblems(payment, listing, lock).join('\n');
    expect(problems).toMatch(/installs devDependencies: node_modules\/vitest/);
    expect(problems).toMatch(/does not depend on: node_modules\/grammy/);
    expect(problems).toMatch(/lacks production dependencies: node_modules\/pg$/m);
  });

  it('pass a catalog without the optional packages npm cannot use here (sharp’s wasm32 build)', () => {
    const catalog = image('catalog');
    const listing = without(goodListing(catalog), 'node_modules/@img/sharp-wasm32');
    expect(contentProblems(catalog, listing, lock)).toEqual([]);
  });

  it('find a workspace link that leads nowhere, a missing main.js or assets, and files outside /app', () => {
    const bot = image('bot');
    const good = goodListing(bot);
    const broken: ImageListing = {
      changedPaths: [...good.changedPaths, '/root/.npm/_cacache/index', '/usr/local/bin/tsx'],
      entries: good.entries.map((entry) =>
        entry.path === 'node_modules/@shop/shared' ? { ...entry, linkTarget: '../../shared' } : entry,
      ),
    };
    const problems = contentProblems(
      bot,
      without(without(broken, 'bot/dist/main.js'), 'bot/src/locales'),
      lock,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'adds files outside /app: /root/.npm/_cacache/index, /usr/local/bin/tsx',
        'has no bot/dist/main.js to run',
        'lacks its assets: bot/src/locales',
        'node_modules/@shop/shared does not lead to services/shared',
      ]),
    );
  });

  it('find an image that runs as root, runs something else, or not in production mode', () => {
    const catalog = image('catalog');
    const good: ImageConfig = {
      User: 'node',
      Cmd: ['node', 'services/catalog/dist/main.js'],
      StopSignal: 'SIGTERM',
      Env: ['PATH=/usr/bin', 'NODE_ENV=production'],
    };
    expect(configProblems(catalog, good)).toEqual([]);
    expect(configProblems(catalog, { ...good, User: '' })[0]).toMatch(/runs as root/);
    expect(configProblems(catalog, { ...good, User: '0:0' })[0]).toMatch(/runs as 0:0/);
    expect(configProblems(catalog, { ...good, Entrypoint: ['docker-entrypoint.sh'] })[0]).toMatch(
      /not "node services\/catalog/,
    );
    expect(configProblems(catalog, { ...good, StopSignal: 'SIGKILL' })[0]).toMatch(/SIGKILL, not SIGTERM/);
    expect(configProblems(catalog, { ...good, Env: [] })[0]).toMatch(/NODE_ENV=production/);
  });
});

describe('a part’s production packages (the lockfile’s closure)', () => {
  it('leaves out an optional package for another platform but keeps what its dependencies brought in elsewhere', () => {
    const synthetic: Lockfile = {
      packages: {
        'services/catalog': { dependencies: { sharp: '^1' } },
        'node_modules/sharp': { version: '1.0.0', optionalDependencies: { '@img/sharp-wasm32': '1' } },
        'node_modules/@img/sharp-wasm32': {
          version: '1.0.0',
          cpu: ['wasm32'],
          dependencies: { '@emnapi/runtime': '^1' },
        },
        'node_modules/@img/sharp-wasm32/node_modules/@emnapi/runtime': {
          version: '1.0.0',
          dependencies: { tslib: '^2' },
        },
        'node_modules/tslib': { version: '2.9.1' },
      },
    };
    expect([...productionLocations(synthetic, 'services/catalog', IMAGE_PLATFORM)].sort()).toEqual([
      'node_modules/sharp',
      'node_modules/tslib',
    ]);
  });
});
