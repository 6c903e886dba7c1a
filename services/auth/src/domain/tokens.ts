import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, type CryptoKey } from 'jose';
import { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_TYPE, type Role } from '@shop/shared';

/** The key new tokens are signed with, and its id (the `kid` a verifier looks up in the JWKS). */
export interface SigningKeyInUse {
  kid: string;
  privateKey: CryptoKey;
}

export interface TokenSettings {
  issuer: string;
  audience: string;
  accessTtlSeconds: number;
  refreshTtlDays: number;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/** Signs a short-lived EdDSA access token for a user. */
export function signAccessToken(
  key: SigningKeyInUse,
  settings: TokenSettings,
  user: { id: string; role: Role },
) {
  return new SignJWT({ role: user.role })
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, typ: ACCESS_TOKEN_TYPE, kid: key.kid })
    .setSubject(user.id)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setJti(crypto.randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${settings.accessTtlSeconds}s`)
    .sign(key.privateKey);
}

/** An opaque refresh token: 256 random bits. Only its hash is stored. */
export const newRefreshToken = (): string => `rt_${randomBytes(32).toString('base64url')}`;

export const hashRefreshToken = (token: string): string => createHash('sha256').update(token).digest('hex');
