import type { MiddlewareHandler } from 'hono';
import type { JWTVerifyGetKey } from 'jose';
import type { AccessClaims } from '../auth/claims.ts';
import { createAccessTokenVerifier, remoteJwks, requireAuth } from '../auth/jwt.ts';
import { rememberVerifiedTokens } from '../auth/verified-tokens.ts';
import type { BaseConfig } from '../config/index.ts';

/** Middleware that admits a request only with a valid access token, whose claims it puts in `c.var.user`. */
export type Authenticator = MiddlewareHandler<{ Variables: { user: AccessClaims } }>;

/**
 * How every service checks access tokens: `requireAuth` over `createAccessTokenVerifier` (issuer
 * and audience from config), with verified tokens remembered (`rememberVerifiedTokens`). Keys
 * come from auth's JWKS at `AUTH_URL` unless `keys` is given (a test issuer's).
 */
export function createAuthenticator(
  config: Pick<BaseConfig, 'AUTH_URL' | 'JWT_ISSUER' | 'JWT_AUDIENCE'>,
  keys: JWTVerifyGetKey = remoteJwks(config.AUTH_URL),
): Authenticator {
  const verify = createAccessTokenVerifier(keys, {
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  return requireAuth(rememberVerifiedTokens(verify));
}
