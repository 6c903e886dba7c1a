/**
 * No value printed in the repository is accepted by a shop that docker-compose.yml runs: every
 * secret comes from `.env` or, under the sandbox profile only, is made at random; compose stops
 * before anything starts when one is missing; and no port is open beyond this machine.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authConfigSchema } from '../../services/auth/src/config.ts';
import { paymentConfigSchema } from '../../services/payment/src/config.ts';
import { sandboxConfigSchema } from '../../services/sandbox/src/config.ts';
import { baseConfigSchema, loadConfig } from '../../services/shared/src/index.ts';
import { botConfigSchema } from '../../bot/src/config.ts';
import {
  SECRET_JOBS,
  SECRETS_DIR,
  readCompose,
  readComposeRaw,
  referencedVariables,
  root,
  runSecretsScript,
  stringsIn,
  type ComposeFile,
} from './compose-file.ts';

const SECRETS = [
  'BOT_SERVICE_TOKEN',
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_PAYMENT_PROVIDER_TOKEN',
  'POSTGRES_PASSWORD',
  'REDIS_PASSWORD',
  'RABBITMQ_DEFAULT_PASS',
];
const REQUIRED = ['BOT_SERVICE_TOKEN', 'POSTGRES_PASSWORD', 'REDIS_PASSWORD', 'RABBITMQ_DEFAULT_PASS'];

/** The values `.env.example` sets (an empty one counts as set to nothing). */
function exampleEnv(): Record<string, string> {
  const text = readFileSync(new URL('.env.example', root), 'utf8');
  return Object.fromEntries(
    [...text.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((match) => [match[1]!, match[2]!]),
  );
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shop-secrets-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});
const file = (name: string) => readFileSync(join(dir, name), 'utf8');
const secretsEnv = () => ({ SECRETS_DIR: dir });

describe('docker-compose.yml and secrets', () => {
  it('publishes every port on 127.0.0.1 only, whatever the port variables say', async () => {
    const envs: Record<string, string>[] = [
      {},
      { AUTH_PORT: '4001', PAYMENT_PORT: '4004', SANDBOX_PORT: '9081' },
    ];
    for (const env of envs) {
      const compose = await readCompose(env);
      const published = Object.entries(compose.services).flatMap(([name, service]) =>
        (service.ports ?? []).map((mapping) => `${name} ${String(mapping)}`),
      );
      expect(published.length).toBeGreaterThan(8);
      expect(published.filter((mapping) => !/^\S+ 127\.0\.0\.1:/.test(mapping))).toEqual([]);
    }
  });

  it('has no fallback for a secret: no ${NAME:-value} prints one in the file', async () => {
    const fallbacks = stringsIn(await readComposeRaw()).flatMap((text) =>
      [...text.matchAll(/\$\{([A-Z_]+):?-([^}]+)\}/g)]
        .filter((match) => SECRETS.includes(match[1]!))
        .map((match) => match[0]),
    );
    expect(fallbacks).toEqual([]);
  });

  it('keeps secrets out of every container environment but the secrets job: the others read files, read-only', async () => {
    const raw = (await readComposeRaw()) as ComposeFile;
    const compose = await readCompose();
    for (const [name, service] of Object.entries(raw.services)) {
      if (name === 'secrets') continue;
      const environment = service.environment ?? {};
      const named = Object.keys(environment).filter(
        (key) =>
          SECRETS.includes(key) || (key.endsWith('_URL') && /^(POSTGRES|REDIS|RABBITMQ)_URL$/.test(key)),
      );
      const read = stringsIn(environment)
        .flatMap(referencedVariables)
        .filter((variable) => SECRETS.includes(variable));
      expect([...named, ...read], name).toEqual([]);
      if (SECRET_JOBS.includes(name)) continue;
      expect(compose.services[name]?.volumes, name).toContain(`secrets:${SECRETS_DIR}:ro`);
    }
  });

  it('runs the secrets job before every other service, and the generator under the sandbox profile only', async () => {
    const compose = await readCompose();
    expect(compose.services['sandbox-secrets']?.profiles).toEqual(['sandbox']);
    expect(compose.services.secrets?.profiles).toBeUndefined();
    expect(compose.services.secrets?.depends_on).toEqual({
      'sandbox-secrets': { condition: 'service_completed_successfully', required: false },
    });
    for (const [name, service] of Object.entries(compose.services)) {
      if (SECRET_JOBS.includes(name)) continue;
      expect(service.depends_on?.secrets, name).toEqual({ condition: 'service_completed_successfully' });
    }
    expect(compose.services.secrets?.command).toEqual(['sh', '/usr/local/bin/shop-secrets.sh', 'check']);
    expect(compose.services['sandbox-secrets']?.command).toEqual([
      'sh',
      '/usr/local/bin/shop-secrets.sh',
      'generate',
    ]);
  });
});

describe('deploy/secrets.sh', () => {
  it("stops the shop with .env.example's values, naming each secret that is missing", () => {
    const run = runSecretsScript('check', dir, { ...exampleEnv(), ...secretsEnv() });
    expect(run.status).toBe(1);
    for (const name of REQUIRED) expect(run.stderr).toContain(`${name} is required: set it in .env`);
    expect(() => file('POSTGRES_URL')).toThrow();
  });

  it('under the sandbox profile makes every secret at random, accepted by auth, the bot and the sandbox, and keeps them', () => {
    expect(runSecretsScript('generate', dir).status).toBe(0);
    expect(runSecretsScript('check', dir).status).toBe(0);
    for (const name of REQUIRED) expect(file(name), name).toMatch(/^[0-9a-f]{64}$/);
    expect(file('TELEGRAM_BOT_TOKEN')).toMatch(/^\d+:[0-9a-f]{48}$/);
    expect(file('TELEGRAM_PAYMENT_PROVIDER_TOKEN')).toMatch(/^\d+:TEST:sandbox-[0-9a-f]{24}$/);
    expect(file('POSTGRES_URL')).toBe(
      `postgres://postgres:${file('POSTGRES_PASSWORD')}@postgres:5432/postgres`,
    );
    expect(file('REDIS_URL')).toBe(`redis://:${file('REDIS_PASSWORD')}@redis:6379`);
    expect(file('RABBITMQ_URL')).toBe(`amqp://shop:${file('RABBITMQ_DEFAULT_PASS')}@rabbitmq:5672`);
    expect(file('redis.conf')).toBe(`requirepass ${file('REDIS_PASSWORD')}\n`);

    // What each part reads through SECRETS_DIR, as in its container.
    const env = { SECRETS_DIR: dir };
    expect(loadConfig(authConfigSchema, env).BOT_SERVICE_TOKEN).toBe(file('BOT_SERVICE_TOKEN'));
    expect(loadConfig(botConfigSchema, env)).toMatchObject({
      BOT_SERVICE_TOKEN: file('BOT_SERVICE_TOKEN'),
      TELEGRAM_BOT_TOKEN: file('TELEGRAM_BOT_TOKEN'),
      REDIS_URL: file('REDIS_URL'),
    });
    expect(loadConfig(sandboxConfigSchema, env).TELEGRAM_BOT_TOKEN).toBe(file('TELEGRAM_BOT_TOKEN'));
    expect(loadConfig(paymentConfigSchema, env)).toMatchObject({
      BOT_SERVICE_TOKEN: file('BOT_SERVICE_TOKEN'),
      TELEGRAM_BOT_TOKEN: file('TELEGRAM_BOT_TOKEN'),
      TELEGRAM_PAYMENT_PROVIDER_TOKEN: file('TELEGRAM_PAYMENT_PROVIDER_TOKEN'),
    });
    expect(loadConfig(baseConfigSchema, env).RABBITMQ_URL).toBe(file('RABBITMQ_URL'));

    // A restart keeps them (PostgreSQL and RabbitMQ store their password once); another volume differs.
    const first = file('BOT_SERVICE_TOKEN');
    runSecretsScript('generate', dir);
    runSecretsScript('check', dir);
    expect(file('BOT_SERVICE_TOKEN')).toBe(first);
    // A run without the sandbox profile (no generate first) may not fall back on them.
    const plain = runSecretsScript('check', dir);
    expect(plain.status).toBe(1);
    for (const name of REQUIRED) expect(plain.stderr).toContain(`${name} is required`);
    expect(() => file('BOT_SERVICE_TOKEN')).toThrow();
    const other = mkdtempSync(join(tmpdir(), 'shop-secrets-'));
    try {
      runSecretsScript('generate', other);
      expect(readFileSync(join(other, 'generated', 'BOT_SERVICE_TOKEN'), 'utf8')).not.toBe(first);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('takes the values set in .env over made ones, and forgets them once they are gone from .env', () => {
    const set = {
      BOT_SERVICE_TOKEN: 'the-operators-own-service-token',
      POSTGRES_PASSWORD: 'pg-pass',
      REDIS_PASSWORD: 'redis-pass',
      RABBITMQ_DEFAULT_USER: 'merchant',
      RABBITMQ_DEFAULT_PASS: 'rabbit-pass',
    };
    expect(runSecretsScript('check', dir, set).status).toBe(0);
    expect(file('BOT_SERVICE_TOKEN')).toBe(set.BOT_SERVICE_TOKEN);
    expect(file('RABBITMQ_URL')).toBe('amqp://merchant:rabbit-pass@rabbitmq:5672');
    expect(() => file('TELEGRAM_BOT_TOKEN')).toThrow();

    const run = runSecretsScript('check', dir, { ...set, BOT_SERVICE_TOKEN: '' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('BOT_SERVICE_TOKEN is required');
    expect(() => file('BOT_SERVICE_TOKEN')).toThrow();
  });

  it('refuses a password that cannot go into a URL as it is', () => {
    const run = runSecretsScript('check', dir, {
      BOT_SERVICE_TOKEN: 'the-operators-own-service-token',
      POSTGRES_PASSWORD: 'p@ss/word',
      REDIS_PASSWORD: 'redis-pass',
      RABBITMQ_DEFAULT_PASS: 'rabbit-pass',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('POSTGRES_PASSWORD may hold only A-Z a-z 0-9 . _ ~ -');
  });
});
