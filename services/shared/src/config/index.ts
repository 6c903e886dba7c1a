import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** Thrown when the environment does not satisfy a service's config schema. */
export class ConfigError extends Error {
  readonly issues: string[];

  constructor(issues: string[]) {
    super(`Invalid configuration:\n${issues.map((line) => `  - ${line}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** A refused secret (a mistyped key, say) must not end up in a terminal or a log collector. */
const SECRET_NAME = /(TOKEN|KEY|SECRET|PASSWORD)$/;

/**
 * The variables of `names` that have a file of their name in `dir`, read from it (trailing line
 * breaks dropped): secrets reach a container as files, never in its environment.
 */
function secretFiles(dir: string | undefined, names: string[]): Record<string, string> {
  if (!dir) return {};
  const found = names
    .map((name) => [name, join(dir, name)] as const)
    .filter(([, path]) => existsSync(path))
    .map(([name, path]) => [name, readFileSync(path, 'utf8').replace(/[\r\n]+$/, '')] as const);
  return Object.fromEntries(found.filter(([, value]) => value !== ''));
}

/**
 * Parses `env` (default `process.env`) with a zod object schema once, at start.
 * A variable that is unset or empty is read from the file of its name in `SECRETS_DIR`, when
 * there is one. Every issue names the variable and what was wrong with it.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  // An empty value (`LOG_LEVEL=` copied from a template) means "use the default", not "invalid".
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const files = secretFiles(env.SECRETS_DIR, Object.keys(schema.shape));
  const result = schema.safeParse({ ...files, ...present });
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(root)';
    const key = String(issue.path[0]);
    const value = present[key];
    // A value read from a secret file is named by its file, never shown.
    const fromFile =
      key in files && value === undefined ? `the file ${join(env.SECRETS_DIR ?? '', key)}` : undefined;
    const shown =
      value === undefined
        ? (fromFile ?? 'unset')
        : SECRET_NAME.test(name)
          ? '(hidden)'
          : JSON.stringify(value);
    return `${name}=${shown}: ${issue.message}`;
  });
  throw new ConfigError(issues);
}

/** Reads config or, on a bad value, prints which variable is wrong and exits 1. */
export function loadConfigOrExit<S extends z.ZodObject>(schema: S): z.infer<S> {
  try {
    return loadConfig(schema);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

/** The variables every service shares; each service extends this with its own. */
export const baseConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `auto`: readable lines on a terminal, JSON when piped (production, log shippers). */
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  POSTGRES_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://postgres@127.0.0.1:5432/postgres'),
  /** Each service uses database `<prefix>_<service>`: two shops can share one PostgreSQL server. */
  DATABASE_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,40}$/, '1-41 characters of a-z, 0-9 and _, starting with a letter')
    .default('shop'),
  /** PostgreSQL connections each process may hold (its pool's maximum). */
  DATABASE_POOL_MAX: z.coerce.number().int().min(2).max(200).default(10),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  RABBITMQ_URL: z.url({ protocol: /^amqps?$/ }).default('amqp://guest:guest@127.0.0.1:5672'),
  AUTH_URL: z.url().default('http://127.0.0.1:3001'),
  JWT_ISSUER: z.string().min(1).default('shop-auth'),
  JWT_AUDIENCE: z.string().min(1).default('shop'),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /**
   * Retired, and refused by every part: whoever registered a listed address first became an
   * admin, with no proof that the mailbox was theirs.
   */
  ADMIN_EMAILS: z
    .undefined({
      error:
        'is no longer read: roles are never granted by e-mail. Name admins by Telegram user id in ADMIN_TELEGRAM_IDS, or run `npm run admin -- grant <email>` on the server; then remove ADMIN_EMAILS',
    })
    .optional(),
  /** A folder of files named after variables (Docker secrets): each one set that is not in the environment. */
  SECRETS_DIR: z.string().optional(),
});
export type BaseConfig = z.infer<typeof baseConfigSchema>;

/** Printed in this repository's .env.example once: a .env copied from it must not keep working. */
const PUBLISHED_SERVICE_TOKEN = 'dev-only-bot-service-token';

/**
 * BOT_SERVICE_TOKEN, the bot's shared secret with auth and payment. No default, and never the
 * value this repository printed: it would let anyone act as the bot (`npm start` makes one for its run).
 */
export const botServiceToken = z
  .string()
  .min(16)
  .refine(
    (token) => token !== PUBLISHED_SERVICE_TOKEN,
    'this value is public: set a long random secret of your own',
  );

/** Port variables with the contract's defaults. */
export const ports = {
  BOT_PORT: port(3000),
  AUTH_PORT: port(3001),
  CATALOG_PORT: port(3002),
  ORDER_PORT: port(3003),
  PAYMENT_PORT: port(3004),
  NOTIFICATION_PORT: port(3005),
  WEB_PORT: port(3006),
  SANDBOX_PORT: port(8081),
} as const;
