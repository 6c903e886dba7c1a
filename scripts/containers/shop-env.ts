/**
 * What the shop in containers is told: the settings `npm start` gives every part (lib/start-env.ts:
 * the sandbox as Telegram, secrets made for the run, the shop owner as admin), on this run's ports,
 * databases, virtual host and key prefix. The secrets are split off: they reach the containers as
 * files in SECRETS_DIR, never in their environment, as compose and Kubernetes hand them over.
 */
import { ports as partPorts } from '../../services/shared/src/index.ts';
import type { PartName } from '../lib/processes.ts';
import { startEnv } from '../lib/start-env.ts';

export const SECRETS_DIR = '/run/shop-secrets';

const SECRETS = [
  'POSTGRES_URL',
  'REDIS_URL',
  'RABBITMQ_URL',
  'BOT_SERVICE_TOKEN',
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_PAYMENT_PROVIDER_TOKEN',
];

export interface ShopEnvInput {
  /** Database prefix, RabbitMQ virtual host and Redis key prefix of this run. */
  prefix: string;
  servers: { POSTGRES_URL: string; REDIS_URL: string; RABBITMQ_URL: string };
  portOf: (part: PartName) => number;
}

export interface ShopEnv {
  settings: Record<string, string>;
  secrets: Record<string, string>;
}

export function shopEnv({ prefix, servers, portOf }: ShopEnvInput): ShopEnv {
  const rabbitUrl = new URL(servers.RABBITMQ_URL);
  rabbitUrl.pathname = `/${prefix}`;
  const ports = Object.fromEntries(
    (Object.keys(partPorts) as (keyof typeof partPorts)[]).map((name) => [
      name,
      portOf(name.replace(/_PORT$/, '').toLowerCase() as PartName),
    ]),
  ) as Record<keyof typeof partPorts, number>;
  const env = startEnv({
    env: {
      NODE_ENV: 'production',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      DATABASE_PREFIX: prefix,
      // As the suites' whole shops: several may share the local PostgreSQL (100 connections).
      DATABASE_POOL_MAX: '6',
      BOT_REDIS_PREFIX: `${prefix}:bot:`,
      POSTGRES_URL: servers.POSTGRES_URL,
      REDIS_URL: servers.REDIS_URL,
      RABBITMQ_URL: rabbitUrl.toString(),
      SECRETS_DIR,
      ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
    },
    ports,
    tty: false,
  });
  // A production bot opens its Mini App over https only; this shop on localhost runs without one.
  delete env.BOT_MINI_APP_URL;
  const settings: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined) (SECRETS.includes(name) ? secrets : settings)[name] = value;
  }
  return { settings, secrets };
}

/** A part's own settings over the shop's: the sandbox stands in for Telegram, which is never production. */
export const partSettings = (part: PartName, settings: Record<string, string>): Record<string, string> =>
  part === 'sandbox' ? { ...settings, NODE_ENV: 'development' } : settings;
