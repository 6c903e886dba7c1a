import { LockMode } from '@mikro-orm/core';
import type { ServiceEntityManager } from '@shop/shared';
import { AppError } from '@shop/shared';
import { RefreshToken, User } from '../db/entities.ts';
import type { AuthDeps } from '../deps.ts';
import { familyEnd, refreshTokenEnd, type Family } from '../domain/refresh-family.ts';
import { roleOf } from '../domain/roles.ts';
import { hashRefreshToken, newRefreshToken, signAccessToken, type TokenPair } from '../domain/tokens.ts';

const invalidRefresh = (message: string) => new AppError(401, 'invalid_refresh_token', message);

/**
 * Signs an access token with the user's role as it is now, and stores a new refresh token: a new
 * family at a login, or the next of a family being rotated.
 */
export async function issueTokenPair(
  deps: AuthDeps,
  em: ServiceEntityManager,
  user: User,
  family: Family = { id: crypto.randomUUID(), createdAt: new Date() },
): Promise<TokenPair> {
  const refreshToken = newRefreshToken();
  em.create(RefreshToken, {
    user,
    familyId: family.id,
    familyCreatedAt: family.createdAt,
    tokenHash: hashRefreshToken(refreshToken),
    expiresAt: familyEnd(family, deps.tokens.refreshTtlDays),
  });
  await em.flush();
  return {
    accessToken: await signAccessToken(deps.keys.current, deps.tokens, {
      id: user.id,
      role: roleOf(user, deps.adminTelegramIds),
    }),
    refreshToken,
    tokenType: 'Bearer',
    expiresIn: deps.tokens.accessTtlSeconds,
  };
}

/** Revokes the family's live tokens; returns how many were live. */
async function revokeFamily(em: ServiceEntityManager, familyId: string): Promise<number> {
  return em.nativeUpdate(RefreshToken, { familyId, revokedAt: null }, { revokedAt: new Date() });
}

/** Revokes every refresh family of the user, so each session must sign in again; returns how many were live. */
export async function revokeAllFamilies(em: ServiceEntityManager, userId: string): Promise<number> {
  const now = new Date();
  const live = await em.find(
    RefreshToken,
    { user: userId, revokedAt: null, rotatedAt: null, expiresAt: { $gt: now } },
    { fields: ['familyId'] },
  );
  await em.nativeUpdate(RefreshToken, { user: userId, revokedAt: null }, { revokedAt: now });
  return new Set(live.map((token) => token.familyId)).size;
}

/**
 * Rotates a refresh token. A token presented a second time means it was stolen (or raced):
 * the whole family is revoked, so both the thief and the owner must log in again. The new
 * access token carries the role as it is now, and the family keeps its first login's end.
 */
export async function refresh(deps: AuthDeps, token: string): Promise<TokenPair> {
  const em = deps.em.fork();
  type Outcome = { pair: TokenPair } | { error: string };
  const outcome = await em.transactional(async (tx): Promise<Outcome> => {
    const stored = await tx.findOne(
      RefreshToken,
      { tokenHash: hashRefreshToken(token) },
      { populate: ['user'], lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!stored || stored.revokedAt) return { error: 'Refresh token is invalid or revoked' };
    if (stored.rotatedAt) {
      await revokeFamily(tx, stored.familyId);
      return { error: 'Refresh token was already used; every session from it is revoked' };
    }
    const family = { id: stored.familyId, createdAt: stored.familyCreatedAt };
    const end = refreshTokenEnd(stored.expiresAt, family, deps.tokens.refreshTtlDays);
    if (end.getTime() <= Date.now()) return { error: 'Refresh token has expired; sign in again' };
    stored.rotatedAt = new Date();
    return { pair: await issueTokenPair(deps, tx, stored.user, family) };
  });
  // The family revocation above must commit, so the 401 is raised after the transaction.
  if ('pair' in outcome) return outcome.pair;
  throw invalidRefresh(outcome.error);
}

/**
 * Revokes the token's whole family and, when it was live, notes the account's sign-out: a Mini
 * App's initData issued before it no longer signs in. Unknown or revoked tokens are accepted
 * silently (logout is idempotent) and change nothing, so an old token cannot push the sign-out on.
 */
export async function logout(deps: AuthDeps, token: string): Promise<void> {
  await deps.em.fork().transactional(async (em) => {
    const stored = await em.findOne(RefreshToken, { tokenHash: hashRefreshToken(token) });
    if (!stored || (await revokeFamily(em, stored.familyId)) === 0) return;
    await em.nativeUpdate(User, { id: stored.user.id }, { signedOutAt: new Date() });
  });
}
