/**
 * Every part gets, from the Kubernetes manifests, each setting its config schema reads (the
 * schemas are imported, not listed here), secrets only as files from Secrets the manifests make
 * without holding their values, and the addresses of the operators' PostgreSQL and RabbitMQ.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { hasKubectl, kustomizations, render, root, type K8sObject } from './kustomize.ts';
import { configSchema, find, isSecret, requiredVariables, workloads, type Workload } from './workloads.ts';

const kubectl = hasKubectl();

/** Well-formed stand-ins for the secret files, to parse each part's config as it would start. */
const SAMPLE_SECRETS: Record<string, string> = {
  POSTGRES_URL: 'postgres://shop:secret@shop-postgres-rw:5432/postgres',
  REDIS_URL: 'rediss://:secret@redis.example.com:6380',
  RABBITMQ_URL: 'amqp://shop:secret@shop-rabbitmq:5672/shop',
  BOT_SERVICE_TOKEN: 'a'.repeat(64),
  TELEGRAM_BOT_TOKEN: '123456789:AAbbCCdd-eeFF',
  BOT_WEBHOOK_SECRET: 'b'.repeat(32),
  JWT_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};
/** Refused by every part when set: it must never be provided. */
const RETIRED = ['ADMIN_EMAILS'];

/** What `part` starts with: its settings and, for each secret file, a sample value. */
function startEnvironment(part: Workload): Record<string, string> {
  const env = Object.fromEntries(
    Object.entries(part.settings).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  for (const name of part.secretFiles.keys()) {
    const sample = SAMPLE_SECRETS[name];
    if (sample === undefined) throw new Error(`add a sample value for the secret file ${name}`);
    env[name] = sample;
  }
  return env;
}

/** The Secrets the manifests make, by name, with their keys (an ExternalSecret's target counts). */
function madeSecrets(objects: K8sObject[]): Map<string, string[]> {
  const made = new Map<string, string[]>();
  for (const object of objects) {
    if (object.kind !== 'ExternalSecret') continue;
    const spec = object.spec as {
      target: { name: string; template?: { data?: Record<string, string> } };
      data?: { secretKey: string }[];
    };
    const keys = spec.target.template?.data
      ? Object.keys(spec.target.template.data)
      : (spec.data ?? []).map((entry) => entry.secretKey);
    made.set(spec.target.name, keys);
  }
  return made;
}

/** A template value with each `{{ ... }}` replaced by `SECRET`. */
const filled = (template: string) => template.replace(/\{\{[^}]*\}\}/g, 'SECRET');

describe.skipIf(!kubectl)('Kubernetes settings and secrets', () => {
  describe.each(kustomizations())('%s', (dir) => {
    // Collected even when skipped: without kubectl there is nothing to render.
    const objects = kubectl ? render(dir) : [];
    const parts = workloads(objects);

    it('starts every part: its config parses, in production, from what the manifests give it', async () => {
      let checked = 0;
      for (const part of parts) {
        const schema = await configSchema(part.name);
        expect(schema, `${part.name} exports its config schema`).toBeDefined();
        if (!schema) continue;
        checked++;
        const env = startEnvironment(part);
        expect(env.NODE_ENV, part.name).toBe('production');
        const result = schema.safeParse(env);
        expect(result.error?.issues ?? [], part.name).toEqual([]);
        const missing = requiredVariables(schema).filter((name) => !(name in env));
        expect(missing, part.name).toEqual([]);
      }
      expect(checked).toBe(parts.length);
    });

    it('lists every setting a part reads in its ConfigMaps, and nothing it does not read', async () => {
      for (const part of parts) {
        const schema = await configSchema(part.name);
        if (!schema) continue;
        const reads = Object.keys(schema.shape);
        const settings = Object.keys(part.settings);
        const unlisted = reads.filter((name) => !isSecret(name) && !RETIRED.includes(name));
        expect(
          unlisted.filter((name) => !settings.includes(name)),
          part.name,
        ).toEqual([]);
        const given = [...settings, ...part.secretFiles.keys()];
        expect(
          given.filter((name) => !reads.includes(name) || RETIRED.includes(name)),
          part.name,
        ).toEqual([]);
      }
      const auth = parts.find((part) => part.name === 'auth')!;
      expect(requiredVariables((await configSchema('auth'))!)).toContain('BOT_SERVICE_TOKEN');
      expect(auth.secretFiles.has('BOT_SERVICE_TOKEN')).toBe(true);
    });

    it('passes secrets only as files of Secrets, never as settings, and commits no secret value', async () => {
      for (const part of parts) {
        expect(Object.keys(part.settings).filter(isSecret), part.name).toEqual([]);
        expect(
          [...part.secretFiles.keys()].filter((name) => !isSecret(name)),
          part.name,
        ).toEqual([]);
        expect(part.container.env ?? [], part.name).toEqual([]);
      }
      for (const object of objects) {
        expect(object.kind, object.metadata.name).not.toBe('Secret');
        if (object.kind !== 'ConfigMap') continue;
        for (const [name, value] of Object.entries(object.data ?? {}))
          if (/^[a-z]+:\/\//.test(value)) expect(new URL(value).password, name).toBe('');
      }
      for (const object of objects.filter((candidate) => candidate.kind === 'ExternalSecret')) {
        const template = (object.spec as { target: { template?: { data?: Record<string, string> } } }).target
          .template?.data;
        for (const [key, value] of Object.entries(template ?? {})) {
          if (/^[a-z]+:\/\//.test(filled(value))) {
            const url = new URL(filled(value));
            if (url.password) expect(url.password, key).toBe('SECRET');
          } else if (isSecret(key) || key === 'password') {
            expect(value, key).toMatch(/^\{\{ \.\w+ \}\}$/);
          }
        }
      }
      const sources = await Promise.all(
        sourceFiles(new URL('deploy/kubernetes/', root)).map((file) => readFile(file, 'utf8')),
      );
      for (const text of sources) {
        expect(text).not.toMatch(/^kind:\s*Secret\s*$/m);
        expect(text).not.toMatch(/secretGenerator/);
      }
    });

    if (dir === 'base') {
      it('expects one Secret from the operator, shop-secrets, and documents each key it must hold', async () => {
        const doc = await readFile(new URL('docs/operations.md', root), 'utf8');
        for (const part of parts)
          for (const [file, { secret, key }] of part.secretFiles) {
            expect(secret, part.name).toBe('shop-secrets');
            expect(key).toBe(file);
            expect(doc, `docs/operations.md names ${key}`).toContain(key);
          }
      });
      return;
    }

    it('makes every Secret a pod or an operator reads, with every key they read', () => {
      const made = madeSecrets(objects);
      const read: { secret: string; key: string; by: string }[] = parts.flatMap((part) =>
        [...part.secretFiles.values()].map((source) => ({ ...source, by: part.name })),
      );
      const spec = (kind: string, name: string): unknown => find(objects, kind, name)?.spec;
      const cluster = spec('Cluster', 'shop-postgres') as {
        bootstrap: { initdb: { secret: { name: string } } };
      };
      read.push(
        ...['username', 'password'].map((key) => ({
          secret: cluster.bootstrap.initdb.secret.name,
          key,
          by: 'Cluster',
        })),
      );
      const user = spec('User', 'shop') as { importCredentialsSecret: { name: string } };
      read.push(
        ...['username', 'password'].map((key) => ({
          secret: user.importCredentialsSecret.name,
          key,
          by: 'User',
        })),
      );
      const store = spec('ObjectStore', 'shop-backups') as {
        configuration: { s3Credentials: Record<string, { name: string; key: string }> };
      };
      for (const reference of Object.values(store.configuration.s3Credentials))
        read.push({ secret: reference.name, key: reference.key, by: 'ObjectStore' });
      const unmade = read.filter(({ secret, key }) => !made.get(secret)?.includes(key));
      expect(unmade).toEqual([]);
    });

    it('points the services at the operators: the PostgreSQL cluster and its databases, the RabbitMQ cluster and its virtual host', async () => {
      const template = madeSecretTemplate(objects, 'shop-secrets') ?? {};
      const postgres = new URL(filled(template.POSTGRES_URL ?? ''));
      const cluster = find(objects, 'Cluster', 'shop-postgres')!.spec as {
        bootstrap: { initdb: { owner: string } };
        postgresql: { parameters: { max_connections: string } };
      };
      expect(postgres.hostname).toBe('shop-postgres-rw');
      expect(postgres.username).toBe(cluster.bootstrap.initdb.owner);
      const prefix = parts[0]!.settings.DATABASE_PREFIX;
      const withMigrations = readdirSync(new URL('services', root)).filter((name) =>
        existsSync(new URL(`services/${name}/src/db/migrations`, root)),
      );
      const databases = objects
        .filter((object) => object.kind === 'Database')
        .map((object) => object.spec as { name: string; owner: string; cluster: { name: string } });
      expect(databases.map((database) => database.name).sort()).toEqual(
        withMigrations.map((name) => `${prefix}_${name}`).sort(),
      );
      for (const database of databases) {
        expect(database.owner).toBe(postgres.username);
        expect(database.cluster.name).toBe('shop-postgres');
      }

      const rabbit = new URL(filled(template.RABBITMQ_URL ?? ''));
      const broker = find(objects, 'RabbitmqCluster', rabbit.hostname)?.spec;
      expect(broker?.replicas).toBe(3);
      const vhost = find(objects, 'Vhost', 'shop')?.spec as { name: string; defaultQueueType: string };
      expect(rabbit.pathname).toBe(`/${vhost.name}`);
      expect(vhost.defaultQueueType).toBe('quorum');
      const credentials = madeSecretTemplate(objects, 'shop-rabbitmq-user');
      expect(credentials?.username).toBe(rabbit.username);
      const permission = find(objects, 'Permission', 'shop')?.spec;
      expect(permission).toMatchObject({ vhost: vhost.name, userReference: { name: 'shop' } });

      // The connection budget of docs/operations.md: every process that uses PostgreSQL at its
      // autoscaler's maximum, each with its pool and its LISTEN connection, one surge pod more per
      // Deployment with two short-lived connections at start, and room for the operator.
      const users = parts.filter((part) => part.secretFiles.has('POSTGRES_URL'));
      const perProcess = (part: Workload) => Number(part.settings.DATABASE_POOL_MAX) + 1;
      const most = (part: Workload) =>
        Number(
          (find(objects, 'HorizontalPodAutoscaler', part.name)?.spec?.maxReplicas as number | undefined) ??
            part.deployment.spec.replicas,
        );
      const budget = users.reduce(
        (sum, part) => sum + most(part) * perProcess(part) + perProcess(part) + 2,
        0,
      );
      expect(users.length).toBe(5);
      expect(budget + 20).toBeLessThanOrEqual(Number(cluster.postgresql.parameters.max_connections));
    });

    it('routes Telegram to the bot over TLS at the path of BOT_WEBHOOK_URL, with the secret token, and the rest to the storefront', () => {
      const bot = parts.find((part) => part.name === 'bot')!;
      const webhook = new URL(bot.settings.BOT_WEBHOOK_URL ?? '');
      expect(webhook.protocol).toBe('https:');
      expect(bot.secretFiles.has('BOT_WEBHOOK_SECRET')).toBe(true);
      const ingresses = objects.filter((object) => object.kind === 'Ingress');
      expect(ingresses).toHaveLength(1);
      const spec = ingresses[0]!.spec as {
        tls: { hosts: string[]; secretName: string }[];
        rules: {
          host: string;
          http: { paths: { path: string; pathType: string; backend: { service: unknown } }[] };
        }[];
      };
      expect(spec.tls.flatMap((entry) => entry.hosts)).toContain(webhook.hostname);
      expect(spec.rules.map((rule) => rule.host)).toEqual([webhook.hostname]);
      expect(spec.rules[0]!.http.paths).toEqual([
        {
          path: webhook.pathname,
          pathType: 'Exact',
          backend: { service: { name: 'bot', port: { name: 'http' } } },
        },
        { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } },
      ]);
    });
  });
});

function madeSecretTemplate(objects: K8sObject[], target: string): Record<string, string> | undefined {
  const external = objects.find(
    (object) =>
      object.kind === 'ExternalSecret' &&
      (object.spec as { target: { name: string } }).target.name === target,
  );
  return (external?.spec as { target: { template?: { data?: Record<string, string> } } } | undefined)?.target
    .template?.data;
}

function sourceFiles(dir: URL): URL[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(new URL(`${entry.name}/`, dir))
      : /\.(ya?ml|env)$/.test(entry.name)
        ? [new URL(entry.name, dir)]
        : [],
  );
}
