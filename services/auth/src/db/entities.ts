import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { messagingEntities } from '@shop/shared';

export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => crypto.randomUUID()),
    // Both null for an account made by signing in with Telegram (store/telegram-sign-in.ts): no
    // password can ever sign in to it. The check keeps the two set or unset together.
    email: p.string().length(254).nullable().unique(),
    passwordHash: p
      .string()
      .length(60)
      .nullable()
      .hidden()
      .check('(email is null) = (password_hash is null)'),
    // When a shop operator made this account an admin (`npm run admin -- grant`); null: no grant.
    // The role itself is never stored: domain/roles.ts computes it at every login, refresh and link.
    adminGrantedAt: p.datetime().nullable(),
    // Telegram user ids need up to 52 bits: exact as a JS number, too big for int4.
    telegramId: p.bigint('number').nullable().unique(),
    // The Telegram client's language, as the bot last saw it: notifications speak it.
    languageCode: p.string().length(35).nullable(),
    // The Telegram profile's names, as the bot last saw them.
    firstName: p.string().length(128).nullable(),
    username: p.string().length(32).nullable(),
    // The last sign-out (POST /auth/logout of a live session): a Mini App's initData issued before
    // it no longer signs in (store/telegram-accounts.ts).
    signedOutAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type User = InferEntity<typeof User>;

export const RefreshToken = defineEntity({
  name: 'RefreshToken',
  tableName: 'refresh_tokens',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => crypto.randomUUID()),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    // Every token issued by rotation from one login shares the family; reuse revokes it whole.
    familyId: p.uuid().index(),
    // The family's first login: no rotation carries it past REFRESH_TOKEN_TTL_DAYS from then.
    familyCreatedAt: p.datetime(),
    // SHA-256 of the token: a database leak gives no usable tokens.
    tokenHash: p.string().length(64).unique(),
    expiresAt: p.datetime(),
    rotatedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type RefreshToken = InferEntity<typeof RefreshToken>;

export const SigningKey = defineEntity({
  name: 'SigningKey',
  tableName: 'signing_keys',
  properties: {
    kid: p.string().length(64).primary(),
    // The private JWK, encrypted (domain/key-sealing.ts) when JWT_KEY_ENCRYPTION_KEY is set; null
    // for a key given in JWT_PRIVATE_KEY, which stays outside the database.
    privateJwk: p.json<Record<string, unknown>>().nullable().hidden(),
    publicJwk: p.json<Record<string, unknown>>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    retiredAt: p.datetime().nullable(),
  },
});
export type SigningKey = InferEntity<typeof SigningKey>;

export const entities = [User, RefreshToken, SigningKey, ...messagingEntities];
