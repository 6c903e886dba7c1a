/**
 * docker-compose.yml stays within what the oldest engines we name take: Docker Engine 20.10
 * (Engine API 1.41, which Podman 4 serves too) and Docker Compose 2.20.2. An allow-list of keys
 * per level keeps anything newer out until someone checks its version note; the keys known to
 * need more are refused with the reason.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readComposeRaw, root } from '../../scripts/test/compose-file.ts';

/** The minimums, as docs/operations.md names them. */
const MINIMUM = { engine: '20.10', engineApi: '1.41', compose: '2.20.2' };

const TOP_LEVEL = ['name', 'services', 'volumes'];
const SERVICE = [
  'image',
  'build',
  'profiles',
  'restart',
  'init',
  'stop_grace_period',
  'volumes',
  'depends_on',
  'environment',
  'command',
  'entrypoint',
  'hostname',
  'network_mode',
  'ports',
  'healthcheck',
];
const BUILD = ['context', 'target'];
const HEALTHCHECK = ['test', 'interval', 'timeout', 'retries', 'start_period'];
/** `required` is the newest key here: Compose 2.20.2. */
const DEPENDENCY = ['condition', 'required'];
const CONDITIONS = ['service_started', 'service_healthy', 'service_completed_successfully'];

/** Keys that the minimums refuse, or that mean nothing there, and why. */
const REFUSED: Record<string, string> = {
  start_interval:
    'healthcheck.start_interval needs Docker Engine 25 (API 1.44); Compose refuses it on older engines and on Podman 4',
  version: 'the top-level `version` is obsolete in the Compose Specification; Compose v2 warns about it',
  develop: '`develop` (compose watch) came after Compose 2.20',
  env_file: 'env_file: use `environment` with ${VAR:-} (the long env_file syntax came after Compose 2.20)',
};

type Tree = Record<string, unknown>;

const isTree = (value: unknown): value is Tree =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every key of `file` (merge keys resolved) that the minimums do not take, as `path.key: why`. */
function violations(file: unknown): string[] {
  const found: string[] = [];
  const only = (path: string, value: unknown, allowed: string[]) => {
    if (!isTree(value)) return;
    for (const key of Object.keys(value)) {
      if (key.startsWith('x-') && path === '') continue;
      if (!allowed.includes(key)) found.push(`${path}${key}: ${REFUSED[key] ?? 'not on the allow-list'}`);
    }
  };
  only('', file, TOP_LEVEL);
  const services = isTree(file) && isTree(file.services) ? file.services : {};
  for (const [name, service] of Object.entries(services)) {
    const at = `services.${name}.`;
    only(at, service, SERVICE);
    if (!isTree(service)) continue;
    only(`${at}build.`, service.build, BUILD);
    only(`${at}healthcheck.`, service.healthcheck, HEALTHCHECK);
    for (const mount of Array.isArray(service.volumes) ? service.volumes : [])
      if (typeof mount !== 'string') found.push(`${at}volumes: the short string syntax only`);
    for (const [dependency, needs] of Object.entries(isTree(service.depends_on) ? service.depends_on : {})) {
      only(`${at}depends_on.${dependency}.`, needs, DEPENDENCY);
      if (isTree(needs) && !CONDITIONS.includes(String(needs.condition)))
        found.push(`${at}depends_on.${dependency}.condition: ${String(needs.condition)}`);
    }
  }
  return found;
}

const composeText = () => readFile(new URL('docker-compose.yml', root), 'utf8');

describe('docker-compose.yml on the engines people have', () => {
  it(`uses only what Docker Engine ${MINIMUM.engine} and Compose ${MINIMUM.compose} take`, async () => {
    expect(violations(await readComposeRaw())).toEqual([]);
  });

  it('refuses healthcheck.start_interval, a top-level version and keys off the allow-list', async () => {
    const file = (await readComposeRaw()) as { services: Record<string, Tree> };
    const broken = structuredClone(file) as Tree & { services: Record<string, Tree> };
    broken.version = '3.9';
    broken.services.auth!.healthcheck = {
      ...(broken.services.auth!.healthcheck as Tree),
      start_interval: '2s',
    };
    broken.services.order!.develop = { watch: [] };
    broken.services.payment!.depends_on = { postgres: { condition: 'service_healthy', restart: true } };
    expect(violations(broken)).toEqual([
      `version: ${REFUSED.version}`,
      `services.auth.healthcheck.start_interval: ${REFUSED.start_interval}`,
      `services.order.develop: ${REFUSED.develop}`,
      'services.payment.depends_on.postgres.restart: not on the allow-list',
    ]);
  });

  it('holds no refused key anywhere in the text, extension fields included, and no merge tags', async () => {
    const text = await composeText();
    for (const key of Object.keys(REFUSED))
      expect(text, key).not.toMatch(new RegExp(`^\\s*${key}\\s*:`, 'm'));
    // `!override` came after Compose 2.20; neither tag is needed in the base file.
    expect(text).not.toMatch(/!(reset|override)\b/);
  });

  it('names the same minimum versions in its header and in docs/operations.md', async () => {
    const header = (await composeText()).split('\nname:')[0] ?? '';
    const doc = await readFile(new URL('docs/operations.md', root), 'utf8');
    for (const text of [header, doc]) {
      expect(text).toContain(`Docker Engine ${MINIMUM.engine}`);
      expect(text).toContain(`Compose ${MINIMUM.compose}`);
      expect(text).toContain(MINIMUM.engineApi);
    }
  });
});
