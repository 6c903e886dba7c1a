import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, type JWTVerifyGetKey } from 'jose';
import { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_TYPE, type Role } from '@shop/shared';

export interface TestTokenIssuer {
  /** Key source for `createAccessTokenVerifier`, as the remote JWKS would be. */
  getKey: JWTVerifyGetKey;
  /** An access token shaped exactly like auth's. */
  sign(claims: { sub?: string; role?: Role }): Promise<string>;
  issuer: string;
  audience: string;
}

/**
 * Signs access tokens like the auth service does, so a service's tests can authenticate
 * without running auth. The service still verifies them with its real verifier.
 */
export async function createTestTokenIssuer(
  issuer = 'shop-auth',
  audience = 'shop',
): Promise<TestTokenIssuer> {
  const { privateKey, publicKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { crv: 'Ed25519' });
  const kid = `test-${crypto.randomUUID()}`;
  const getKey = createLocalJWKSet({
    keys: [{ ...(await exportJWK(publicKey)), kid, alg: ACCESS_TOKEN_ALGORITHM }],
  });
  return {
    getKey,
    issuer,
    audience,
    sign: ({ sub = crypto.randomUUID(), role = 'user' }) =>
      new SignJWT({ role })
        .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, typ: ACCESS_TOKEN_TYPE, kid })
        .setSubject(sub)
        .setIssuer(issuer)
        .setAudience(audience)
        .setJti(crypto.randomUUID())
        .setIssuedAt()
        .setExpirationTime('15m')
        .sign(privateKey),
  };
}
