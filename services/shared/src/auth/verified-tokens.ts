import type { AccessClaims } from './claims.ts';
import type { AccessTokenVerifier } from './jwt.ts';

/** How long, and how many, verified tokens `rememberVerifiedTokens` keeps. */
export interface VerifiedTokenOptions {
  /** How long a verified token is trusted without checking its signature again (default 60 s). */
  ttlMs?: number;
  /** Tokens remembered at most; the oldest goes first (default 10 000). */
  maxEntries?: number;
  /** The clock, in ms; tests pass their own. */
  now?: () => number;
}

/**
 * Remembers tokens that verified, for at most `ttlMs` and never past their `exp`, so a client
 * sending the same token again skips the Ed25519 signature check (a tenth of the CPU of a
 * `POST /orders`, profiled). Only successes are kept: a bad token is checked, and refused, every
 * time. A signing key withdrawn from auth's JWKS stops being trusted here within `ttlMs`.
 */
export function rememberVerifiedTokens(
  verify: AccessTokenVerifier,
  { ttlMs = 60_000, maxEntries = 10_000, now = Date.now }: VerifiedTokenOptions = {},
): AccessTokenVerifier {
  const verified = new Map<string, { claims: AccessClaims; until: number }>();
  return async (token) => {
    const known = verified.get(token);
    if (known && known.until > now()) return known.claims;
    verified.delete(token);
    const claims = await verify(token);
    const until = Math.min(now() + ttlMs, claims.exp * 1_000);
    if (until > now()) {
      // Map keeps insertion order: the first key is the oldest entry.
      const oldest = verified.size >= maxEntries ? verified.keys().next().value : undefined;
      if (oldest !== undefined) verified.delete(oldest);
      verified.set(token, { claims, until });
    }
    return claims;
  };
}
