import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openJwk, sealJwk } from '../src/domain/key-sealing.ts';
import { passwordTooLongForBcrypt, passwordTooShort } from '../src/domain/passwords.ts';
import { familyEnd, refreshTokenEnd } from '../src/domain/refresh-family.ts';
import { roleOf } from '../src/domain/roles.ts';
import { profileUpdate } from '../src/domain/telegram-profile.ts';
import { fromPrivateJwk, generateSigningKey, parseJwk } from '../src/domain/signing-key.ts';
import { hashRefreshToken, newRefreshToken } from '../src/domain/tokens.ts';

describe('the role of a user', () => {
  const admins = new Set([111]);

  it('is user for a fresh account, whatever its e-mail says', () => {
    expect(roleOf({ adminGrantedAt: null, telegramId: null }, admins)).toBe('user');
  });

  it("is admin while an operator's grant stands", () => {
    expect(roleOf({ adminGrantedAt: new Date(), telegramId: null }, admins)).toBe('admin');
  });

  it('is admin while the linked Telegram account is named in ADMIN_TELEGRAM_IDS, and user otherwise', () => {
    expect(roleOf({ adminGrantedAt: null, telegramId: 111 }, admins)).toBe('admin');
    expect(roleOf({ adminGrantedAt: null, telegramId: 222 }, admins)).toBe('user');
  });
});

describe('a new password', () => {
  it('needs at least 8 bytes, so four Cyrillic letters are enough and seven Latin ones are not', () => {
    expect(passwordTooShort('abcdefg')).toBe(true);
    expect(passwordTooShort('abcdefgh')).toBe(false);
    expect(passwordTooShort('пароль'.slice(0, 4))).toBe(false);
  });

  it('may not pass the 72 bytes bcrypt reads, counted in UTF-8', () => {
    expect(passwordTooLongForBcrypt('a'.repeat(72))).toBe(false);
    expect(passwordTooLongForBcrypt('a'.repeat(73))).toBe(true);
    expect(passwordTooLongForBcrypt('я'.repeat(37))).toBe(true);
  });
});

describe('a refresh family', () => {
  const family = { id: 'f', createdAt: new Date('2026-01-01T00:00:00Z') };

  it('ends REFRESH_TOKEN_TTL_DAYS after its first login, however often it is rotated', () => {
    expect(familyEnd(family, 30).toISOString()).toBe('2026-01-31T00:00:00.000Z');
  });

  it("stops a token at the family's end when the TTL was lowered after the token was issued", () => {
    const issuedFor30Days = new Date('2026-01-31T00:00:00Z');
    expect(refreshTokenEnd(issuedFor30Days, family, 7).toISOString()).toBe('2026-01-08T00:00:00.000Z');
    expect(refreshTokenEnd(issuedFor30Days, family, 60)).toEqual(issuedFor30Days);
  });
});

describe('refresh tokens', () => {
  it('are 256 random bits, stored only as their SHA-256', () => {
    const token = newRefreshToken();
    expect(token).toMatch(/^rt_[A-Za-z0-9_-]{43}$/);
    expect(newRefreshToken()).not.toBe(token);
    expect(hashRefreshToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRefreshToken(token)).toBe(hashRefreshToken(token));
  });
});

describe('a signing key', () => {
  it('opens only with the encryption key that sealed it, and only under its own key id', async () => {
    const { kid, privateJwk } = await generateSigningKey();
    const key = randomBytes(32);
    const sealed = sealJwk(privateJwk, key, kid);
    expect(JSON.stringify(sealed)).not.toContain(String(privateJwk.d));
    expect(openJwk(sealed, key, kid)).toEqual(privateJwk);
    expect(() => openJwk(sealed, randomBytes(32), kid)).toThrow(/JWT_KEY_ENCRYPTION_KEY does not decrypt/);
    expect(() => openJwk(sealed, key, 'another-kid')).toThrow(/JWT_KEY_ENCRYPTION_KEY does not decrypt/);
  });

  it('given in JWT_PRIVATE_KEY must be an Ed25519 private JWK', async () => {
    expect(() => parseJwk('not json')).toThrow(/JWT_PRIVATE_KEY is not JSON/);
    const { privateJwk, publicJwk } = await generateSigningKey();
    await expect(fromPrivateJwk(publicJwk)).rejects.toThrow(/must be an Ed25519 private JWK/);
    await expect(fromPrivateJwk({ ...privateJwk, crv: 'P-256' })).rejects.toThrow(/Ed25519/);
  });

  it('keeps its kid, or is named by its thumbprint, and publishes no private part', async () => {
    const { privateJwk } = await generateSigningKey();
    const named = await fromPrivateJwk({ ...privateJwk, kid: 'k1' });
    expect(named.kid).toBe('k1');
    const unnamed = await fromPrivateJwk(privateJwk);
    expect(unnamed.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(unnamed.publicJwk).toEqual({ kty: 'OKP', crv: 'Ed25519', x: privateJwk.x });
  });
});

describe('the Telegram profile an account keeps', () => {
  const stored = { languageCode: 'ru', firstName: 'Анна', username: 'anna_k' };

  it('keeps every field the sign-in does not know this time', () => {
    expect(profileUpdate(stored, {})).toEqual({ next: stored, announced: false });
  });

  it('takes a username that is gone without announcing it, and announces a new first name', () => {
    expect(profileUpdate(stored, { username: null })).toEqual({
      next: { languageCode: 'ru', firstName: 'Анна', username: null },
      announced: false,
    });
    expect(profileUpdate(stored, { firstName: 'Anna' })).toEqual({
      next: { languageCode: 'ru', firstName: 'Anna', username: 'anna_k' },
      announced: true,
    });
  });

  it('announces a new language, and not the same one again', () => {
    expect(profileUpdate(stored, { languageCode: 'en' }).announced).toBe(true);
    expect(profileUpdate(stored, { languageCode: 'ru', firstName: 'Анна' }).announced).toBe(false);
    expect(profileUpdate({}, { languageCode: 'en' })).toEqual({
      next: { languageCode: 'en', firstName: null, username: null },
      announced: true,
    });
  });
});
