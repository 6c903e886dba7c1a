import { describe, expect, it } from 'vitest';
import { authConfigSchema } from '../../services/auth/src/config.ts';
import { loadConfig } from '../../services/shared/src/index.ts';
import { botConfigSchema } from '../../bot/src/config.ts';
import { notificationConfigSchema } from '../../services/notification/src/config.ts';
import { paymentConfigSchema } from '../../services/payment/src/config.ts';
import { SANDBOX_OWNER, startEnv } from '../lib/start-env.ts';

const ports = {
  AUTH_PORT: 3001,
  CATALOG_PORT: 3002,
  ORDER_PORT: 3003,
  PAYMENT_PORT: 3004,
  NOTIFICATION_PORT: 3005,
  WEB_PORT: 3006,
  SANDBOX_PORT: 8081,
};
const envFor = (env: NodeJS.ProcessEnv) => startEnv({ env, ports, tty: false });

describe('npm start: the environment every part gets', () => {
  it('makes a service token for the run that auth and the bot both accept, a new one on each run', () => {
    const first = envFor({});
    const second = envFor({});
    expect(first.BOT_SERVICE_TOKEN).toMatch(/^[\w-]{43}$/);
    expect(second.BOT_SERVICE_TOKEN).not.toBe(first.BOT_SERVICE_TOKEN);
    // One environment for every part: auth and the bot read the same value.
    expect(loadConfig(authConfigSchema, first).BOT_SERVICE_TOKEN).toBe(first.BOT_SERVICE_TOKEN);
    expect(loadConfig(botConfigSchema, first).BOT_SERVICE_TOKEN).toBe(first.BOT_SERVICE_TOKEN);
  });

  it('uses a BOT_SERVICE_TOKEN that is set as it is', () => {
    const token = 'a-service-token-set-by-the-operator';
    expect(envFor({ BOT_SERVICE_TOKEN: token }).BOT_SERVICE_TOKEN).toBe(token);
  });

  it('without TELEGRAM_BOT_TOKEN: makes a bot token of Telegram shape for the run and points every part at the sandbox', () => {
    const env = envFor({ TELEGRAM_BOT_TOKEN: '', TELEGRAM_API_ROOT: 'https://api.telegram.org' });
    expect(env.TELEGRAM_BOT_TOKEN).toMatch(/^\d{10}:[\w-]{35}$/);
    expect(envFor({}).TELEGRAM_BOT_TOKEN).not.toBe(env.TELEGRAM_BOT_TOKEN);
    expect(env.TELEGRAM_API_ROOT).toBe('http://127.0.0.1:8081');
    expect(loadConfig(botConfigSchema, env).TELEGRAM_BOT_TOKEN).toBe(env.TELEGRAM_BOT_TOKEN);
  });

  it('with the sandbox: makes a provider token for its invoices unless one is set; with a real bot: none', () => {
    const env = envFor({});
    expect(env.TELEGRAM_PAYMENT_PROVIDER_TOKEN).toMatch(/^\d{9}:TEST:sandbox-[\w-]{16}$/);
    expect(envFor({}).TELEGRAM_PAYMENT_PROVIDER_TOKEN).not.toBe(env.TELEGRAM_PAYMENT_PROVIDER_TOKEN);
    const payment = loadConfig(paymentConfigSchema, env);
    expect(payment.TELEGRAM_PAYMENT_PROVIDER_TOKEN).toBe(env.TELEGRAM_PAYMENT_PROVIDER_TOKEN);
    expect(payment.TELEGRAM_BOT_TOKEN).toBe(env.TELEGRAM_BOT_TOKEN);
    expect(payment.BOT_SERVICE_TOKEN).toBe(env.BOT_SERVICE_TOKEN);
    expect(envFor({ TELEGRAM_PAYMENT_PROVIDER_TOKEN: '1:TEST:mine' }).TELEGRAM_PAYMENT_PROVIDER_TOKEN).toBe(
      '1:TEST:mine',
    );
    expect(
      envFor({ TELEGRAM_BOT_TOKEN: '123456:real-token' }).TELEGRAM_PAYMENT_PROVIDER_TOKEN,
    ).toBeUndefined();
  });

  it("makes the sandbox's shop owner the admin only when the sandbox runs and no admins are named", () => {
    const sandbox = envFor({});
    expect(sandbox.ADMIN_TELEGRAM_IDS).toBe(String(SANDBOX_OWNER.id));
    expect(loadConfig(authConfigSchema, sandbox).ADMIN_TELEGRAM_IDS).toEqual(new Set([SANDBOX_OWNER.id]));
    expect(envFor({ ADMIN_TELEGRAM_IDS: '42,43' }).ADMIN_TELEGRAM_IDS).toBe('42,43');
    // A real bot: nobody is an admin unless named.
    expect(envFor({ TELEGRAM_BOT_TOKEN: '123456:real-token' }).ADMIN_TELEGRAM_IDS).toBeUndefined();
  });

  it("points invoices' photos at the local catalog only when the sandbox runs and no address is set", () => {
    const sandbox = envFor({});
    expect(sandbox.PUBLIC_CATALOG_URL).toBe('http://127.0.0.1:3002');
    expect(loadConfig(notificationConfigSchema, sandbox).PUBLIC_CATALOG_URL).toBe('http://127.0.0.1:3002');
    expect(envFor({ PUBLIC_CATALOG_URL: 'https://shop.example/catalog' }).PUBLIC_CATALOG_URL).toBe(
      'https://shop.example/catalog',
    );
    // A real bot: Telegram cannot fetch a photo from this machine.
    expect(envFor({ TELEGRAM_BOT_TOKEN: '123456:real-token' }).PUBLIC_CATALOG_URL).toBeUndefined();
  });

  it("makes the local storefront the bot's Mini App only when the sandbox runs and none is set", () => {
    const sandbox = envFor({});
    expect(sandbox.BOT_MINI_APP_URL).toBe('http://localhost:3006');
    // The bot takes it: http against the sandbox.
    expect(loadConfig(botConfigSchema, sandbox).BOT_MINI_APP_URL).toBe('http://localhost:3006');
    expect(envFor({ WEB_PUBLIC_ORIGIN: 'https://shop.example.com' }).BOT_MINI_APP_URL).toBe(
      'https://shop.example.com',
    );
    expect(envFor({ BOT_MINI_APP_URL: 'https://mini.example.com/' }).BOT_MINI_APP_URL).toBe(
      'https://mini.example.com/',
    );
    // A real bot: Telegram opens only https, and the operator says where.
    expect(envFor({ TELEGRAM_BOT_TOKEN: '123456:real-token' }).BOT_MINI_APP_URL).toBeUndefined();
  });

  it('with TELEGRAM_BOT_TOKEN: passes the token and the API root through untouched', () => {
    const env = envFor({
      TELEGRAM_BOT_TOKEN: '123456:real-token',
      TELEGRAM_API_ROOT: 'https://api.telegram.org',
    });
    expect(env).toMatchObject({
      TELEGRAM_BOT_TOKEN: '123456:real-token',
      TELEGRAM_API_ROOT: 'https://api.telegram.org',
    });
  });

  it('lets the parts find each other on the chosen ports unless an address is set', () => {
    const env = envFor({ ORDER_URL: 'http://orders.internal:9000' });
    expect(env).toMatchObject({
      AUTH_URL: 'http://127.0.0.1:3001',
      CATALOG_URL: 'http://127.0.0.1:3002',
      ORDER_URL: 'http://orders.internal:9000',
      PAYMENT_URL: 'http://127.0.0.1:3004',
      NOTIFICATION_URL: 'http://127.0.0.1:3005',
      LOG_FORMAT: 'json',
    });
  });
});

describe('auth and the bot', () => {
  it('refuse to start without BOT_SERVICE_TOKEN, naming it', () => {
    for (const schema of [authConfigSchema, botConfigSchema]) {
      expect(() => loadConfig(schema, { TELEGRAM_BOT_TOKEN: '123456:real-token' })).toThrow(
        /BOT_SERVICE_TOKEN=unset/,
      );
    }
  });

  it('refuse the service token this repository once printed, in every mode, as payment does', () => {
    for (const schema of [authConfigSchema, botConfigSchema, paymentConfigSchema]) {
      for (const NODE_ENV of ['development', 'test', 'production']) {
        const env = {
          NODE_ENV,
          TELEGRAM_BOT_TOKEN: '123456:real-token',
          BOT_SERVICE_TOKEN: 'dev-only-bot-service-token',
        };
        expect(() => loadConfig(schema, env)).toThrow(/BOT_SERVICE_TOKEN=\(hidden\): this value is public/);
      }
    }
  });

  it('the bot refuses to start without TELEGRAM_BOT_TOKEN, naming it', () => {
    expect(() =>
      loadConfig(botConfigSchema, { BOT_SERVICE_TOKEN: 'a-service-token-of-the-operator' }),
    ).toThrow(/TELEGRAM_BOT_TOKEN=unset/);
  });
});
