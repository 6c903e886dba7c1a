import { ACCESS_TOKEN_ALGORITHM } from '@shop/shared';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

/** A signing key: its id, its private JWK and the public part served in the JWKS. */
export interface KeyPair {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

const publicPart = ({ kty, crv, x }: JWK): JWK => ({ kty, crv, x });

/** JWT_PRIVATE_KEY as a JWK; throws a message naming the setting when it is not JSON. */
export function parseJwk(text: string): JWK {
  try {
    return JSON.parse(text) as JWK;
  } catch {
    throw new Error('JWT_PRIVATE_KEY is not JSON: give the Ed25519 private key as a JWK');
  }
}

/**
 * The key pair of an Ed25519 private JWK (anything else is refused); its id is the JWK's `kid`,
 * else its RFC 7638 thumbprint.
 */
export async function fromPrivateJwk(jwk: JWK): Promise<KeyPair> {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.d) {
    throw new Error(
      'JWT_PRIVATE_KEY must be an Ed25519 private JWK ({"kty":"OKP","crv":"Ed25519","d":…,"x":…})',
    );
  }
  const publicJwk = publicPart(jwk);
  return { kid: jwk.kid ?? (await calculateJwkThumbprint(publicJwk)), privateJwk: jwk, publicJwk };
}

/** A new Ed25519 signing key. */
export async function generateSigningKey(): Promise<KeyPair> {
  const { privateKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { crv: 'Ed25519', extractable: true });
  return fromPrivateJwk(await exportJWK(privateKey));
}
