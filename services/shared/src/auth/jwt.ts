import type { MiddlewareHandler } from 'hono';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { AppError, ServiceUnavailableError, forbidden, unauthorized } from '../errors/index.ts';
import {
  ACCESS_TOKEN_ALGORITHM,
  ACCESS_TOKEN_TYPE,
  accessClaimsSchema,
  type AccessClaims,
  type Role,
} from './claims.ts';

export interface VerifierOptions {
  issuer: string;
  audience: string;
  /** Allowed clock skew between services, in seconds. */
  clockToleranceSeconds?: number;
}

export type AccessTokenVerifier = (token: string) => Promise<AccessClaims>;

/** A JWKS fetched from auth and cached; refetched when an unknown `kid` shows up (key rotation). */
export function remoteJwks(authUrl: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL('/.well-known/jwks.json', authUrl), {
    timeoutDuration: 2_000,
    cooldownDuration: 30_000,
    cacheMaxAge: 10 * 60_000,
  });
}

function isKeySourceFailure(error: unknown): boolean {
  return (
    error instanceof errors.JWKSTimeout ||
    (error instanceof errors.JOSEError &&
      (error.code === 'ERR_JWKS_INVALID' || error.code === 'ERR_JOSE_GENERIC')) ||
    // createRemoteJWKSet surfaces network failures as the fetch's TypeError.
    error instanceof TypeError
  );
}

/**
 * Verifies an access token: EdDSA only, `typ` at+jwt, `exp` required, `iss` and `aud` checked.
 * Bad tokens become 401; an unreachable key source becomes 503 (the token may well be fine).
 */
export function createAccessTokenVerifier(
  keys: JWTVerifyGetKey,
  options: VerifierOptions,
): AccessTokenVerifier {
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        typ: ACCESS_TOKEN_TYPE,
        issuer: options.issuer,
        audience: options.audience,
        requiredClaims: ['exp', 'sub', 'jti'],
        clockTolerance: options.clockToleranceSeconds ?? 5,
      });
      const claims = accessClaimsSchema.safeParse(payload);
      if (!claims.success) throw unauthorized('Access token claims are invalid');
      return claims.data;
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (isKeySourceFailure(error)) throw new ServiceUnavailableError('auth', error);
      if (error instanceof errors.JWTExpired) throw unauthorized('Access token has expired');
      throw unauthorized('Access token is invalid');
    }
  };
}

const BEARER = /^Bearer ([\w-]+\.[\w-]+\.[\w-]*)$/;

/** Requires a valid bearer access token and puts its claims in `c.var.user`. */
export function requireAuth(
  verify: AccessTokenVerifier,
): MiddlewareHandler<{ Variables: { user: AccessClaims } }> {
  return async (c, next) => {
    const match = BEARER.exec(c.req.header('Authorization') ?? '');
    if (!match?.[1]) throw unauthorized('Send an access token as "Authorization: Bearer <token>"');
    c.set('user', await verify(match[1]));
    await next();
  };
}

/** Requires the authenticated user to have `role`; use after `requireAuth`. */
export function requireRole(role: Role): MiddlewareHandler<{ Variables: { user: AccessClaims } }> {
  return async (c, next) => {
    if (c.var.user.role !== role) throw forbidden(`This needs the ${role} role`);
    await next();
  };
}
