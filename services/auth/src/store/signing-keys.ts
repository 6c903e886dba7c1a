import type { ServiceEntityManager } from '@shop/shared';
import {
  createLocalJWKSet,
  importJWK,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import { ACCESS_TOKEN_ALGORITHM } from '@shop/shared';
import { SigningKey } from '../db/entities.ts';
import { isSealed, openJwk, sealJwk } from '../domain/key-sealing.ts';
import { fromPrivateJwk, generateSigningKey, parseJwk } from '../domain/signing-key.ts';
import type { SigningKeyInUse } from '../domain/tokens.ts';

export interface KeyRing {
  /** The key new tokens are signed with. */
  current: SigningKeyInUse;
  /** Public keys of every key that may still have live tokens: served as the JWKS. */
  jwks: JSONWebKeySet;
  /** Verifies with the ring itself (auth needs no HTTP round trip to its own JWKS). */
  getKey: JWTVerifyGetKey;
}

export interface KeyRingOptions {
  /** JWT_PRIVATE_KEY: the signing key, kept outside; only its public part is stored. */
  configuredJwk?: string | undefined;
  /** JWT_KEY_ENCRYPTION_KEY: encrypts the private keys stored in the database. */
  encryptionKey?: Buffer | undefined;
}

/** The private part of a stored key, opened with the encryption key if it is sealed. */
function privateJwkOf(key: SigningKey, encryptionKey: Buffer | undefined): JWK {
  if (!isSealed(key.privateJwk)) return key.privateJwk as JWK;
  if (!encryptionKey) {
    throw new Error(
      `The signing key ${key.kid} in the auth database is encrypted: set JWT_KEY_ENCRYPTION_KEY ` +
        'to the key that encrypted it (or give the signing key itself in JWT_PRIVATE_KEY).',
    );
  }
  return openJwk(key.privateJwk, encryptionKey, key.kid);
}

/**
 * With an encryption key, every stored private key ends up sealed with it: a sealed one must
 * open (a wrong key stops the start before anything is changed), a plain one is sealed.
 */
function sealStored(stored: SigningKey[], encryptionKey: Buffer): void {
  const opened = stored.map((key) => ({
    key,
    jwk: key.privateJwk && privateJwkOf(key, encryptionKey),
  }));
  for (const { key, jwk } of opened) {
    if (jwk && !isSealed(key.privateJwk)) key.privateJwk = { ...sealJwk(jwk, encryptionKey, key.kid) };
  }
}

/**
 * Loads the signing key: `JWT_PRIVATE_KEY` if given (only its public part goes to the database),
 * else the newest stored key, generated once on first start (an advisory lock keeps two
 * first-starting replicas from both doing it). With `JWT_KEY_ENCRYPTION_KEY`, stored private
 * keys are kept encrypted (AES-256-GCM); without it, an encrypted one stops the start.
 */
export async function loadKeyRing(
  em: ServiceEntityManager,
  { configuredJwk, encryptionKey }: KeyRingOptions = {},
): Promise<KeyRing> {
  const configured = configuredJwk ? await fromPrivateJwk(parseJwk(configuredJwk)) : undefined;
  const signing = await em.transactional(async (tx): Promise<{ kid: string; privateJwk: JWK }> => {
    // tx.execute runs inside the transaction (getConnection().execute would not), so the lock holds until commit.
    await tx.execute(`select pg_advisory_xact_lock(hashtext('auth.signing_keys'))`);
    const stored = await tx.find(SigningKey, {}, { orderBy: { createdAt: 'desc' } });
    if (encryptionKey) sealStored(stored, encryptionKey);
    if (configured) {
      const row = stored.find((key) => key.kid === configured.kid);
      if (row) row.privateJwk = null;
      else tx.create(SigningKey, { kid: configured.kid, privateJwk: null, publicJwk: configured.publicJwk });
      return configured;
    }
    const newest = stored.find((key) => key.retiredAt == null && key.privateJwk != null);
    if (newest) return { kid: newest.kid, privateJwk: privateJwkOf(newest, encryptionKey) };
    const key = await generateSigningKey();
    const privateJwk = encryptionKey
      ? { ...sealJwk(key.privateJwk, encryptionKey, key.kid) }
      : key.privateJwk;
    tx.create(SigningKey, { kid: key.kid, privateJwk, publicJwk: key.publicJwk });
    return key;
  });
  const active = await em.find(SigningKey, { retiredAt: null }, { orderBy: { createdAt: 'desc' } });
  if (!active.some((key) => key.kid === signing.kid))
    throw new Error(`signing key ${signing.kid} is retired`);
  const jwks: JSONWebKeySet = {
    keys: active.map((key) => ({ ...key.publicJwk, kid: key.kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' })),
  };
  return {
    current: {
      kid: signing.kid,
      privateKey: (await importJWK(signing.privateJwk, ACCESS_TOKEN_ALGORITHM)) as CryptoKey,
    },
    jwks,
    getKey: createLocalJWKSet(jwks),
  };
}
