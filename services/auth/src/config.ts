import { availableParallelism } from 'node:os';
import { baseConfigSchema, loadConfigOrExit, ports } from '@shop/shared';
import { z } from 'zod';

/** Printed in this repository's .env.example once: a .env copied from it must not keep working. */
const PUBLISHED_SERVICE_TOKEN = 'dev-only-bot-service-token';

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
    /**
     * Shared secret the bot sends to link a Telegram account. No default: a value printed in the
     * repository would let anyone link any Telegram id (`npm start` makes one for its run).
     */
    BOT_SERVICE_TOKEN: z.string().min(16),
  })
  .refine((config) => config.BOT_SERVICE_TOKEN !== PUBLISHED_SERVICE_TOKEN, {
    path: ['BOT_SERVICE_TOKEN'],
    message: 'this value is public: set a long random secret of your own',
  });

export type AuthConfig = z.infer<typeof authConfigSchema>;

export const loadAuthConfig = () => loadConfigOrExit(authConfigSchema);
