import { z } from '@hono/zod-openapi';
import { MIN_PASSWORD_BYTES, passwordTooLongForBcrypt, passwordTooShort } from '../domain/passwords.ts';

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('must be a valid e-mail address').max(254, 'must be at most 254 characters'))
  .openapi({ example: 'anna@example.com' });

export const newPasswordSchema = z
  .string()
  .refine((value) => !passwordTooShort(value), {
    message: `must be at least ${MIN_PASSWORD_BYTES} bytes`,
  })
  .refine((value) => !passwordTooLongForBcrypt(value), {
    message: 'must be at most 72 bytes in UTF-8 (a Cyrillic letter takes 2)',
  })
  .openapi({ example: 'correct horse battery' });

// Login accepts any length up to the cap: a wrong password is a 401, not a validation hint.
export const passwordSchema = z.string().min(1).max(1024);

export const credentialsSchema = z
  .strictObject({ email: emailSchema, password: newPasswordSchema })
  .openapi('Credentials');
export const loginSchema = z.strictObject({ email: emailSchema, password: passwordSchema }).openapi('Login');
export const refreshSchema = z
  .strictObject({ refreshToken: z.string().min(1).max(256) })
  .openapi('RefreshRequest');
/**
 * The Telegram user the bot speaks for, from the update's `from`: the id (proven by Telegram) and
 * the profile the account keeps (an absent field keeps what is stored).
 */
export const telegramProfileSchema = z
  .strictObject({
    telegramId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    // Telegram's `language_code` (an IETF tag such as `ru` or `pt-br`).
    languageCode: z
      .string()
      .min(2)
      .max(35)
      .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/)
      .optional(),
    // Telegram allows 64 characters; 128 UTF-16 units leaves room for emoji. No control characters.
    firstName: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[^\p{Cc}]+$/u, 'must not contain control characters')
      .optional(),
    // null: the user has no username now.
    username: z
      .string()
      .regex(/^[A-Za-z0-9_]{1,32}$/, 'must be a Telegram username without @')
      .nullable()
      .optional(),
  })
  .openapi('TelegramProfile');

export const userSchema = z
  .object({
    id: z.uuid(),
    email: z
      .string()
      .nullable()
      .openapi({ description: 'null for an account made by signing in with Telegram' }),
    role: z.enum(['user', 'admin']),
    telegramId: z.number().int().nullable(),
  })
  .openapi('User');

export const registeredSchema = z.object({ id: z.uuid(), email: z.string() }).openapi('Registered');

export const tokenPairSchema = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().openapi({ description: 'Access token lifetime in seconds' }),
  })
  .openapi('TokenPair');
