/**
 * The Dockerfile's base image (`node:<major>-slim`) comes from a registry this machine cannot reach,
 * so the check builds on a local stand-in made by base-image.sh. It is made once per recipe: the
 * image's tag carries a hash of everything that goes into it, and an existing one is used as it is.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { imageExists, podman, run } from './podman.ts';

export const BASE_REPOSITORY = 'localhost/shop-node-base';
/** npm in the stand-in, as the official image bundles one: it runs `npm ci` in the build stages. */
export const BASE_NPM_VERSION = '11.19.1';
/** The host's CA bundle: the npm registry may be reached through a proxy that signs with it. */
export const HOST_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

const recipeScript = new URL('base-image.sh', import.meta.url);
const root = new URL('../../', import.meta.url);

/** The exact Node version the project runs on (the `node` devDependency): the stand-in has the same. */
export async function projectNodeVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(new URL('package.json', root), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  const version = manifest.devDependencies.node;
  if (!version || !/^\d+\.\d+\.\d+$/.test(version))
    throw new Error(`package.json pins no exact node version`);
  return version;
}

/** The stand-in's name for this recipe: `localhost/shop-node-base:<node version>-<hash>`. */
export async function baseImageName(): Promise<{ image: string; nodeVersion: string; recipe: string }> {
  const nodeVersion = await projectNodeVersion();
  const registry = (await run('npm', ['config', 'get', 'registry'])).trim();
  const hash = createHash('sha256')
    .update(await readFile(recipeScript))
    .update(`\0${nodeVersion}\0${BASE_NPM_VERSION}\0${registry}\0`)
    .update(await readFile(HOST_CA_BUNDLE).catch(() => Buffer.alloc(0)))
    .digest('hex')
    .slice(0, 12);
  return { image: `${BASE_REPOSITORY}:${nodeVersion}-${hash}`, nodeVersion, recipe: hash };
}

/** Makes the stand-in unless this recipe's exists; other recipes' stand-ins are untagged. */
export async function ensureBaseImage(): Promise<{ image: string; made: boolean }> {
  const { image, nodeVersion, recipe } = await baseImageName();
  if (await imageExists(image)) return { image, made: false };
  await run('bash', [fileURLToPath(recipeScript), image, nodeVersion, BASE_NPM_VERSION, recipe], {
    timeoutMs: 15 * 60_000,
  });
  const tags = await podman([
    'images',
    '--filter',
    `reference=${BASE_REPOSITORY}`,
    '--format',
    '{{.Repository}}:{{.Tag}}',
  ]);
  for (const old of tags.split('\n').filter((tag) => tag && tag !== image))
    await podman(['untag', old, old]).catch(() => undefined);
  return { image, made: true };
}
