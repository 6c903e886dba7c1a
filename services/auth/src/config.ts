import { availableParallelism } from 'node:os';
import { baseConfigSchema, botServiceToken, loadConfigOrExit, ports } from '@shop/shared';
import { z } from 'zod';

const telegramUserId = z
  .string()
  .regex(/^\d{1,16}$/, 'must be a Telegram user id (digits only)')
  .transform(Number)
  .pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER));
// ADMIN_TELEGRAM_IDS: a comma list of the Telegram user ids whose linked accounts are admins.
const adminTelegramIds = z
  .string()
  .default('')
  .transform((list) =>
    list
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
  )
  .pipe(z.array(telegramUserId))
  .transform((ids): ReadonlySet<number> => new Set(ids));

export const authConfigSchema = baseConfigSchema
  .extend({
    AUTH_PORT: ports.AUTH_PORT,
    BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
    /** bcrypt runs in worker threads so hashing never blocks request handling. */
    BCRYPT_WORKERS: z.coerce
      .number()
      .int()
      .min(1)
      .max(32)
      .default(Math.max(1, availableParallelism() - 1)),
    ADMIN_TELEGRAM_IDS: adminTelegramIds,
    /**
     * bcrypt jobs that may wait for a worker; one more is answered 503 with Retry-After. At cost 12
     * (~0.3 s a job) 8 in line is a wait of ~2.5 s on one worker, within the bot's 5 s timeout.
     */
    BCRYPT_QUEUE_MAX: z.coerce.number().int().min(0).max(10_000).default(8),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    /** Ed25519 private key as a JWK (JSON). Unset: one is generated once and kept in the auth database. */
    JWT_PRIVATE_KEY: z.string().optional(),
    /** 32 random bytes in base64: the stored signing keys are encrypted with it (AES-256-GCM). */
    JWT_KEY_ENCRYPTION_KEY: z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 random bytes in base64 (`openssl rand -base64 32`)')
      .transform((key) => Buffer.from(key, 'base64'))
      .optional(),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    LOGIN_LOCK_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    /** The doubling login lock stops growing here. */
    LOGIN_MAX_LOCK_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600),
    /** /auth/register and /auth/login requests one client (address, or bot user) may make a minute. */
    AUTH_RATE_PER_CLIENT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(20),
    /** The same requests from all clients together, per second, shared by every replica. */
    AUTH_RATE_TOTAL_PER_SECOND: z.coerce.number().int().min(1).max(1_000_000).default(50),
    /** Proxies in front of auth whose X-Forwarded-For entries are believed; 0 uses the socket's address. */
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    /**
     * Shared secret the bot sends to sign in as, or link, a Telegram account. No default: a value
     * printed in the repository would let anyone sign in as any Telegram id (`npm start` makes one
     * for its run).
     */
    BOT_SERVICE_TOKEN: botServiceToken,
    /**
     * The bot's token: Telegram signs a Mini App's initData with a key made from it (POST
     * /auth/telegram/webapp). Unset, that route answers 503; production refuses to start without it.
     */
    TELEGRAM_BOT_TOKEN: z
      .string()
      .regex(/^\d+:[\w-]+$/, 'must look like 123456:ABC-def')
      .optional(),
    /** A Mini App's initData older than this (its `auth_date`) no longer signs in. */
    WEBAPP_AUTH_MAX_AGE_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  })
  .refine((config) => config.NODE_ENV !== 'production' || config.TELEGRAM_BOT_TOKEN, {
    path: ['TELEGRAM_BOT_TOKEN'],
    message: 'required in production: Mini App sign-ins are checked with it',
  });

export type AuthConfig = z.infer<typeof authConfigSchema>;

export const loadAuthConfig = () => loadConfigOrExit(authConfigSchema);

/** What `npm run admin` reads: where auth's database is, and whom ADMIN_TELEGRAM_IDS names. */
export const adminCommandConfigSchema = baseConfigSchema
  .pick({
    NODE_ENV: true,
    LOG_FORMAT: true,
    POSTGRES_URL: true,
    DATABASE_PREFIX: true,
    DATABASE_POOL_MAX: true,
    ADMIN_EMAILS: true,
  })
  .extend({
    // Quiet unless asked: what the command prints is its result.
    LOG_LEVEL: baseConfigSchema.shape.LOG_LEVEL.unwrap().default('warn'),
    ADMIN_TELEGRAM_IDS: adminTelegramIds,
  });

export const loadAdminCommandConfig = () => loadConfigOrExit(adminCommandConfigSchema);
