import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, baseConfigSchema, loadConfig, ports } from '../src/config/index.ts';

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig with baseConfigSchema', () => {
  it('fills in the contract defaults when nothing is set', () => {
    const config = loadConfig(baseConfigSchema, {});

    expect(config).toMatchObject({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      POSTGRES_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
      REDIS_URL: 'redis://127.0.0.1:6379',
      RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
      AUTH_URL: 'http://127.0.0.1:3001',
      JWT_ISSUER: 'shop-auth',
      JWT_AUDIENCE: 'shop',
      BODY_LIMIT_BYTES: 64 * 1024,
      SHUTDOWN_TIMEOUT_MS: 10_000,
    });
  });

  it('takes the values that are set, coercing numbers', () => {
    const config = loadConfig(baseConfigSchema, {
      LOG_LEVEL: 'debug',
      POSTGRES_URL: 'postgresql://shop:secret@db:5432/postgres',
      REDIS_URL: 'rediss://cache:6380',
      RABBITMQ_URL: 'amqps://user:pass@broker:5671',
      BODY_LIMIT_BYTES: '1024',
    });

    expect(config).toMatchObject({
      LOG_LEVEL: 'debug',
      POSTGRES_URL: 'postgresql://shop:secret@db:5432/postgres',
      REDIS_URL: 'rediss://cache:6380',
      RABBITMQ_URL: 'amqps://user:pass@broker:5671',
      BODY_LIMIT_BYTES: 1024,
    });
  });

  it('ignores variables the schema does not know', () => {
    const config = loadConfig(baseConfigSchema, { PATH: '/usr/bin', HOME: '/root' });

    expect(config).not.toHaveProperty('PATH');
  });

  it.each([
    ['REDIS_URL', 'http://x'],
    ['POSTGRES_URL', 'mysql://root@127.0.0.1/db'],
    ['RABBITMQ_URL', 'not a url'],
    ['LOG_LEVEL', 'loud'],
    ['NODE_ENV', 'staging'],
    ['BODY_LIMIT_BYTES', 'lots'],
    ['SHUTDOWN_TIMEOUT_MS', '-5'],
  ])('throws a ConfigError naming %s when it is %j', (name, value) => {
    const error = configErrorOf(() => loadConfig(baseConfigSchema, { [name]: value }));

    expect(error.name).toBe('ConfigError');
    expect(error.message).toContain(name);
    expect(error.message).toContain(JSON.stringify(value));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatch(new RegExp(`^${name}=`));
  });

  it('treats an empty value as unset, so the default applies', () => {
    expect(loadConfig(baseConfigSchema, { LOG_LEVEL: '', JWT_ISSUER: '' })).toMatchObject({
      LOG_LEVEL: 'info',
      JWT_ISSUER: 'shop-auth',
    });
  });

  it('lists every bad variable in one error', () => {
    const error = configErrorOf(() =>
      loadConfig(baseConfigSchema, { REDIS_URL: 'http://x', LOG_LEVEL: 'loud' }),
    );

    expect(error.issues).toHaveLength(2);
    expect(error.message).toContain('REDIS_URL');
    expect(error.message).toContain('LOG_LEVEL');
  });

  it('says "unset" for a required variable that is missing', () => {
    const schema = baseConfigSchema.extend({ TELEGRAM_BOT_TOKEN: z.string().min(1) });

    const error = configErrorOf(() => loadConfig(schema, {}));

    expect(error.issues).toEqual([expect.stringMatching(/^TELEGRAM_BOT_TOKEN=unset: /) as string]);
  });
});

describe('retired and secret variables', () => {
  it('refuses to start with ADMIN_EMAILS set, saying what replaced it', () => {
    const error = configErrorOf(() => loadConfig(baseConfigSchema, { ADMIN_EMAILS: 'boss@example.test' }));

    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatch(/^ADMIN_EMAILS=/);
    expect(error.message).toContain('ADMIN_TELEGRAM_IDS');
    expect(error.message).toContain('npm run admin -- grant <email>');
  });

  it('refuses ADMIN_EMAILS in every part, whatever it adds to the shared variables', () => {
    const schema = baseConfigSchema.extend({ CATALOG_PORT: ports.CATALOG_PORT });

    expect(() => loadConfig(schema, { ADMIN_EMAILS: 'boss@example.test' })).toThrow(/ADMIN_TELEGRAM_IDS/);
  });

  it('starts with an empty ADMIN_EMAILS left in an old .env file: it names nobody', () => {
    expect(loadConfig(baseConfigSchema, { ADMIN_EMAILS: '' })).not.toHaveProperty('ADMIN_EMAILS');
  });

  it('names a refused secret without printing its value', () => {
    const schema = z.object({
      JWT_KEY_ENCRYPTION_KEY: z.string().length(44),
      BOT_SERVICE_TOKEN: z.string().min(16),
    });

    const error = configErrorOf(() =>
      loadConfig(schema, {
        JWT_KEY_ENCRYPTION_KEY: 'almost-the-real-key',
        BOT_SERVICE_TOKEN: 'short-secret',
      }),
    );

    expect(error.issues).toEqual([
      expect.stringMatching(/^JWT_KEY_ENCRYPTION_KEY=\(hidden\): /) as string,
      expect.stringMatching(/^BOT_SERVICE_TOKEN=\(hidden\): /) as string,
    ]);
    expect(error.message).not.toContain('almost-the-real-key');
    expect(error.message).not.toContain('short-secret');
  });
});

describe('ports', () => {
  const portSchema = z.object(ports);

  it('defaults to the contract ports', () => {
    const config = loadConfig(portSchema, {});

    expect(config).toEqual({
      BOT_PORT: 3000,
      AUTH_PORT: 3001,
      CATALOG_PORT: 3002,
      ORDER_PORT: 3003,
      PAYMENT_PORT: 3004,
      NOTIFICATION_PORT: 3005,
      WEB_PORT: 3006,
      SANDBOX_PORT: 8081,
    });
  });

  it('takes an override from the environment as a number', () => {
    const config = loadConfig(portSchema, { CATALOG_PORT: '4002' });

    expect(config.CATALOG_PORT).toBe(4002);
    expect(config.ORDER_PORT).toBe(3003);
  });

  it.each(['abc', '0', '70000', '3000.5'])(
    'throws a ConfigError naming the port variable for %j',
    (value) => {
      const error = configErrorOf(() => loadConfig(portSchema, { ORDER_PORT: value }));

      expect(error.message).toContain('ORDER_PORT');
    },
  );
});
