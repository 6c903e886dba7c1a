import type { ServiceEntityManager } from '@shop/shared';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import { ACCESS_TOKEN_ALGORITHM } from '@shop/shared';
import { SigningKey } from '../db/entities.ts';

export interface KeyRing {
  /** The key new tokens are signed with. */
  current: { kid: string; privateKey: CryptoKey };
  /** Public keys of every key that may still have live tokens: served as the JWKS. */
  jwks: JSONWebKeySet;
  /** Verifies with the ring itself (auth needs no HTTP round trip to its own JWKS). */
  getKey: JWTVerifyGetKey;
}

const publicPart = ({ kty, crv, x }: JWK): JWK => ({ kty, crv, x });

async function fromPrivateJwk(jwk: JWK): Promise<{ kid: string; privateJwk: JWK; publicJwk: JWK }> {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.d) {
    throw new Error(
      'JWT_PRIVATE_KEY must be an Ed25519 private JWK ({"kty":"OKP","crv":"Ed25519","d":…,"x":…})',
    );
  }
  const publicJwk = publicPart(jwk);
  return { kid: jwk.kid ?? (await calculateJwkThumbprint(publicJwk)), privateJwk: jwk, publicJwk };
}

async function generate(): Promise<{ kid: string; privateJwk: JWK; publicJwk: JWK }> {
  const { privateKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { crv: 'Ed25519', extractable: true });
  return fromPrivateJwk(await exportJWK(privateKey));
}

/**
 * Loads the signing key: from `JWT_PRIVATE_KEY` if given, else the newest one in the database,
 * generated once on first start (an advisory lock keeps two first-starting replicas from both doing it).
 */
export async function loadKeyRing(em: ServiceEntityManager, configuredJwk?: string): Promise<KeyRing> {
  const stored = await em.transactional(async (tx) => {
    // tx.execute runs inside the transaction (getConnection().execute would not), so the lock holds until commit.
    await tx.execute(`select pg_advisory_xact_lock(hashtext('auth.signing_keys'))`);
    if (configuredJwk) {
      const key = await fromPrivateJwk(JSON.parse(configuredJwk) as JWK);
      await tx.upsert(SigningKey, { kid: key.kid, privateJwk: key.privateJwk, publicJwk: key.publicJwk });
    } else if ((await tx.count(SigningKey, { retiredAt: null })) === 0) {
      const key = await generate();
      tx.create(SigningKey, { kid: key.kid, privateJwk: key.privateJwk, publicJwk: key.publicJwk });
    }
    return tx.find(SigningKey, { retiredAt: null }, { orderBy: { createdAt: 'desc' } });
  });
  const active = configuredJwk
    ? (await fromPrivateJwk(JSON.parse(configuredJwk) as JWK)).kid
    : stored[0]?.kid;
  const current = stored.find((key) => key.kid === active);
  if (!current) throw new Error('no active signing key after initialisation');
  const jwks: JSONWebKeySet = {
    keys: stored.map((key) => ({ ...key.publicJwk, kid: key.kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' })),
  };
  return {
    current: {
      kid: current.kid,
      privateKey: (await importJWK(current.privateJwk as JWK, ACCESS_TOKEN_ALGORITHM)) as CryptoKey,
    },
    jwks,
    getKey: createLocalJWKSet(jwks),
  };
}
