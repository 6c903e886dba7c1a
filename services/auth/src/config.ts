import { availableParallelism } from 'node:os';
import { baseConfigSchema, loadConfigOrExit, ports } from '@shop/shared';
import { z } from 'zod';

const DEV_SERVICE_TOKEN = 'dev-only-bot-service-token';

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
    /**
     * bcrypt jobs that may wait for a worker; one more is answered 503 with Retry-After. At cost 12
     * (~0.3 s a job) 8 in line is a wait of ~2.5 s on one worker, within the bot's 5 s timeout.
     */
    BCRYPT_QUEUE_MAX: z.coerce.number().int().min(0).max(10_000).default(8),
    ADMIN_EMAILS: z
      .string()
      .default('')
      .transform(
        (list) =>
          new Set(
            list
              .split(',')
              .map((email) => email.trim().toLowerCase())
              .filter(Boolean),
          ),
      ),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    /** Ed25519 private key as a JWK (JSON). Unset: one is generated once and kept in the auth database. */
    JWT_PRIVATE_KEY: z.string().optional(),
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
    /** Shared secret the bot sends to link a Telegram account; must be set in production. */
    BOT_SERVICE_TOKEN: z.string().min(16).default(DEV_SERVICE_TOKEN),
  })
  .refine((config) => config.NODE_ENV !== 'production' || config.BOT_SERVICE_TOKEN !== DEV_SERVICE_TOKEN, {
    path: ['BOT_SERVICE_TOKEN'],
    message: 'set a secret of your own in production',
  });

export type AuthConfig = z.infer<typeof authConfigSchema>;

export const loadAuthConfig = () => loadConfigOrExit(authConfigSchema);
