import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { PARTS } from '../lib/processes.ts';
import {
  CONTRACT_PORTS,
  SECRET_JOBS,
  SECRETS_DIR,
  configVariables,
  documentedVariables,
  readCompose,
  readComposeRaw,
  referencedVariables,
  root,
  secretFileNames,
  stringsIn,
  type ComposeFile,
} from './compose-file.ts';

const INFRASTRUCTURE = ['postgres', 'redis', 'rabbitmq'];

async function composeValidator() {
  const schema = JSON.parse(
    await readFile(new URL('deploy/compose-spec.schema.json', root), 'utf8'),
  ) as Record<string, unknown>;
  // The schema still names its sub-schemas with draft-04 `id`, which Ajv refuses outright; the
  // names are only labels (every $ref is a JSON pointer), so the keyword is dropped.
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  ajv.removeKeyword('id');
  // Compose's own format for `expose` entries: a port or a range, optionally with a protocol.
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  return ajv.compile(schema);
}

const healthUrl = (compose: ComposeFile, name: string) => {
  const test = compose.services[name]?.healthcheck?.test;
  const command = Array.isArray(test) ? test.join(' ') : (test ?? '');
  return /http:\/\/127\.0\.0\.1:(\d+)(\/\w+)/.exec(command)?.slice(1);
};

describe('docker-compose.yml', () => {
  it('validates against the Compose Specification schema, which rejects a broken file', async () => {
    const validate = await composeValidator();
    const compose = await readCompose();
    expect(validate(compose), JSON.stringify(validate.errors, null, 2)).toBe(true);

    const broken = structuredClone(compose);
    broken.services.auth!.depends_on = { postgres: { condition: 'service_ready' } };
    expect(validate(broken)).toBe(false);
  });

  it('runs every part under its contract name, with its contract port, built from its Dockerfile target', async () => {
    const compose = await readCompose();
    expect(PARTS.map((part) => part.name).sort()).toEqual(Object.keys(CONTRACT_PORTS).sort());
    for (const part of PARTS) {
      const service = compose.services[part.name];
      const port = CONTRACT_PORTS[part.name];
      expect(service?.build, part.name).toEqual({ context: '.', target: part.name });
      expect(service?.environment?.[part.portVar], part.name).toBe(String(port));
      expect(healthUrl(compose, part.name), part.name).toEqual([String(port), '/health']);
      // Either the same port on the host, or one Docker picks (so the service can be scaled).
      for (const mapping of service?.ports ?? [])
        expect([`127.0.0.1:${port}:${port}`, `127.0.0.1::${port}`]).toContain(mapping);
    }
  });

  it('follows the port variables: AUTH_PORT=4001 moves the container, the host port, the health check and AUTH_URL', async () => {
    const compose = await readCompose({ AUTH_PORT: '4001' });
    expect(compose.services.auth?.environment?.AUTH_PORT).toBe('4001');
    expect(compose.services.auth?.ports).toEqual(['127.0.0.1:4001:4001']);
    expect(healthUrl(compose, 'auth')).toEqual(['4001', '/health']);
    expect(compose.services.order?.environment?.AUTH_URL).toBe('http://auth:4001');
  });

  it('gives every part each variable its config reads, the secrets as files of the secrets volume', async () => {
    const compose = await readCompose();
    const files = secretFileNames();
    expect(files).toEqual(
      expect.arrayContaining(['BOT_SERVICE_TOKEN', 'POSTGRES_URL', 'TELEGRAM_BOT_TOKEN']),
    );
    const missing: string[] = [];
    let checked = 0;
    for (const part of PARTS) {
      const variables = await configVariables(part.dir);
      if (!variables) continue;
      checked++;
      const service = compose.services[part.name];
      const environment = service?.environment ?? {};
      expect(environment.SECRETS_DIR, part.name).toBe(SECRETS_DIR);
      expect(service?.volumes, part.name).toContain(`secrets:${SECRETS_DIR}:ro`);
      missing.push(
        ...variables
          .filter((name) => !(name in environment) && !files.includes(name))
          .map((name) => `${part.name}: ${name}`),
      );
    }
    expect(checked).toBeGreaterThanOrEqual(6);
    expect(missing).toEqual([]);
  });

  it('documents in .env.example every variable it takes from .env', async () => {
    const documented = await documentedVariables();
    const used = new Set(stringsIn(await readComposeRaw()).flatMap(referencedVariables));
    expect(used.size).toBeGreaterThan(30);
    expect([...used].filter((name) => !documented.has(name))).toEqual([]);
  });

  it('points every address at a service of the file, on that service port', async () => {
    const compose = await readCompose();
    const infrastructurePorts: Record<string, number> = { postgres: 5432, redis: 6379, rabbitmq: 5672 };
    const wrong: string[] = [];
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [variable, value] of Object.entries(service.environment ?? {})) {
        if (!/_(URL|ROOT)$/.test(variable) || typeof value !== 'string' || value === '') continue;
        const url = new URL(value);
        const port = infrastructurePorts[url.hostname] ?? CONTRACT_PORTS[url.hostname];
        if (!(url.hostname in compose.services) || Number(url.port) !== port)
          wrong.push(`${name}: ${variable}=${value}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('starts each service after what it needs is healthy (or, for a one-shot job, done), and restarts it unless stopped', async () => {
    const compose = await readCompose();
    for (const [name, service] of Object.entries(compose.services)) {
      if (SECRET_JOBS.includes(name)) {
        expect(service.restart, name).toBe('no');
        continue;
      }
      expect(service.restart, name).toBe('unless-stopped');
      expect(service.healthcheck, name).toBeDefined();
      const needs = Object.entries(service.depends_on ?? {});
      expect(needs.length, name).toBeGreaterThan(0);
      for (const [dependency, { condition }] of needs) {
        const job = SECRET_JOBS.includes(dependency);
        expect(condition, `${name} -> ${dependency}`).toBe(
          job ? 'service_completed_successfully' : 'service_healthy',
        );
        if (!job) expect(compose.services[dependency]?.healthcheck, `${name} -> ${dependency}`).toBeDefined();
      }
      if (INFRASTRUCTURE.includes(name))
        expect(Object.keys(service.depends_on ?? {}), name).toEqual(['secrets']);
    }
  });

  it('without a token: the sandbox runs under the sandbox profile and the bot and notification talk to it', async () => {
    const compose = await readCompose();
    const sandboxOnly = ['sandbox', 'sandbox-secrets'];
    for (const name of sandboxOnly) expect(compose.services[name]?.profiles, name).toEqual(['sandbox']);
    const others = Object.entries(compose.services).filter(([name]) => !sandboxOnly.includes(name));
    expect(others.every(([, service]) => !service.profiles)).toBe(true);
    for (const name of ['bot', 'notification']) {
      const service = compose.services[name];
      expect(service?.environment?.TELEGRAM_API_ROOT, name).toBe('http://sandbox:8081');
      // A secret: the file sandbox-secrets made (or .env's value), never in the environment.
      expect(service?.environment, name).not.toHaveProperty('TELEGRAM_BOT_TOKEN');
      // Without the profile there is no sandbox to wait for: `required: false`.
      expect(service?.depends_on?.sandbox, name).toEqual({ condition: 'service_healthy', required: false });
    }
  });

  it('with a token from .env: the secrets job writes it for the bot and notification, which use the API root set beside it', async () => {
    const env = { TELEGRAM_BOT_TOKEN: '123456:real-token', TELEGRAM_API_ROOT: 'https://api.telegram.org' };
    const compose = await readCompose(env);
    expect(compose.services.secrets?.environment?.TELEGRAM_BOT_TOKEN).toBe(env.TELEGRAM_BOT_TOKEN);
    for (const name of ['bot', 'notification']) {
      expect(compose.services[name]?.environment?.TELEGRAM_API_ROOT).toBe(env.TELEGRAM_API_ROOT);
    }
  });

  it('keeps PostgreSQL, Redis and RabbitMQ data in volumes, and creates every service database on first start', async () => {
    const compose = await readCompose();
    const mounts = (name: string) => compose.services[name]?.volumes ?? [];
    expect(mounts('postgres')).toContain('postgres-data:/var/lib/postgresql/data');
    expect(mounts('redis')).toContain('redis-data:/data');
    expect(mounts('rabbitmq')).toContain('rabbitmq-data:/var/lib/rabbitmq');
    const init = mounts('postgres').find((mount) => mount.includes('/docker-entrypoint-initdb.d/'));
    const script = init?.split(':')[0] ?? '';
    expect(existsSync(new URL(script, root)), script).toBe(true);

    const services = (await readdir(new URL('services', root))).filter((name) =>
      existsSync(new URL(`services/${name}/src/db/migrations`, root)),
    );
    const text = await readFile(new URL(script, root), 'utf8');
    const created = /for service in ([\w ]+);/.exec(text)?.[1]?.split(' ') ?? [];
    expect(created.sort()).toEqual(services.sort());
  });
});
