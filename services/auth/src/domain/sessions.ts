import { LockMode } from '@mikro-orm/core';
import type { ServiceEntityManager } from '@shop/shared';
import { AppError } from '@shop/shared';
import { RefreshToken, User } from '../db/entities.ts';
import type { AuthDeps } from './deps.ts';
import { hashRefreshToken, newRefreshToken, signAccessToken, type TokenPair } from './tokens.ts';

const DAY_MS = 86_400_000;

const invalidRefresh = (message: string) => new AppError(401, 'invalid_refresh_token', message);

/** Signs an access token and stores a new refresh token (optionally continuing a rotation family). */
export async function issueTokenPair(
  deps: AuthDeps,
  em: ServiceEntityManager,
  user: User,
  familyId: string = crypto.randomUUID(),
): Promise<TokenPair> {
  const refreshToken = newRefreshToken();
  em.create(RefreshToken, {
    user,
    familyId,
    tokenHash: hashRefreshToken(refreshToken),
    expiresAt: new Date(Date.now() + deps.tokens.refreshTtlDays * DAY_MS),
  });
  await em.flush();
  return {
    accessToken: await signAccessToken(deps.keys, deps.tokens, user),
    refreshToken,
    tokenType: 'Bearer',
    expiresIn: deps.tokens.accessTtlSeconds,
  };
}

async function revokeFamily(em: ServiceEntityManager, familyId: string): Promise<void> {
  await em.nativeUpdate(RefreshToken, { familyId, revokedAt: null }, { revokedAt: new Date() });
}

/**
 * Rotates a refresh token. A token presented a second time means it was stolen (or raced):
 * the whole family is revoked, so both the thief and the owner must log in again.
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
    if (stored.expiresAt.getTime() <= Date.now()) return { error: 'Refresh token has expired' };
    stored.rotatedAt = new Date();
    return { pair: await issueTokenPair(deps, tx, stored.user, stored.familyId) };
  });
  // The family revocation above must commit, so the 401 is raised after the transaction.
  if ('pair' in outcome) return outcome.pair;
  throw invalidRefresh(outcome.error);
}

/** Revokes the token's whole family. Unknown tokens are accepted silently: logout is idempotent. */
export async function logout(deps: AuthDeps, token: string): Promise<void> {
  const em = deps.em.fork();
  const stored = await em.findOne(RefreshToken, { tokenHash: hashRefreshToken(token) });
  if (stored) await revokeFamily(em, stored.familyId);
}
