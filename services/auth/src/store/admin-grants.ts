import type { ServiceEntityManager } from '@shop/shared';
import { User } from '../db/entities.ts';
import { revokeAllFamilies } from './sessions.ts';

/** What a grant or a revocation found and did; `null` when no account has the e-mail. */
export interface GrantChange {
  email: string;
  /** False when the account already was (or already was not) granted. */
  changed: boolean;
  /** The linked Telegram id: while ADMIN_TELEGRAM_IDS names it, the account stays an admin anyway. */
  telegramId: number | null;
  /** Sessions (refresh families) signed out: a revocation ends every one. */
  sessionsRevoked: number;
}

/** An operator's grant: the account is an admin from its next login or refresh on. */
export async function grantAdmin(em: ServiceEntityManager, email: string): Promise<GrantChange | null> {
  return em.transactional(async (tx) => {
    const user = await tx.findOne(User, { email });
    if (!user) return null;
    const changed = user.adminGrantedAt == null;
    user.adminGrantedAt ??= new Date();
    return { email, changed, telegramId: user.telegramId ?? null, sessionsRevoked: 0 };
  });
}

/**
 * Withdraws an operator's grant and revokes every refresh family of the account, in one
 * transaction: no session of it can mint an admin token again, so the role is gone once its
 * last access token expires (ACCESS_TOKEN_TTL_SECONDS).
 */
export async function revokeAdmin(em: ServiceEntityManager, email: string): Promise<GrantChange | null> {
  return em.transactional(async (tx) => {
    const user = await tx.findOne(User, { email });
    if (!user) return null;
    const changed = user.adminGrantedAt != null;
    user.adminGrantedAt = null;
    await tx.flush();
    const sessionsRevoked = await revokeAllFamilies(tx, user.id);
    return { email, changed, telegramId: user.telegramId ?? null, sessionsRevoked };
  });
}
