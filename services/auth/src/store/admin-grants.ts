import { LockMode } from '@mikro-orm/core';
import { addToOutbox, createEvent, type ServiceEntityManager } from '@shop/shared';
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

/**
 * `user.admin_grant_changed`, committed with the grant it announces: notification learns whom
 * to alert. Made under the user's row lock, so of two changes of one grant the one committed
 * last is also the newer event.
 */
export async function announceGrant(em: ServiceEntityManager, userId: string, granted: boolean) {
  await addToOutbox(em, createEvent('user.admin_grant_changed', { userId, granted }));
}

const lockedUser = (tx: ServiceEntityManager, email: string) =>
  tx.findOne(User, { email }, { lockMode: LockMode.PESSIMISTIC_WRITE });

/** An operator's grant: the account is an admin from its next login or refresh on. */
export async function grantAdmin(em: ServiceEntityManager, email: string): Promise<GrantChange | null> {
  return em.transactional(async (tx) => {
    const user = await lockedUser(tx, email);
    if (!user) return null;
    const changed = user.adminGrantedAt == null;
    user.adminGrantedAt ??= new Date();
    await tx.flush();
    await announceGrant(tx, user.id, true);
    return { email, changed, telegramId: user.telegramId ?? null, sessionsRevoked: 0 };
  });
}

/**
 * Withdraws an operator's grant and revokes every refresh family of the account, in one
 * transaction with its announcement (alerts stop at once): no session of it can mint an admin token again, so the role is gone once its
 * last access token expires (ACCESS_TOKEN_TTL_SECONDS).
 */
export async function revokeAdmin(em: ServiceEntityManager, email: string): Promise<GrantChange | null> {
  return em.transactional(async (tx) => {
    const user = await lockedUser(tx, email);
    if (!user) return null;
    const changed = user.adminGrantedAt != null;
    user.adminGrantedAt = null;
    await tx.flush();
    const sessionsRevoked = await revokeAllFamilies(tx, user.id);
    await announceGrant(tx, user.id, false);
    return { email, changed, telegramId: user.telegramId ?? null, sessionsRevoked };
  });
}

/**
 * Tells notification, when auth starts, who is an admin: the Telegram ids ADMIN_TELEGRAM_IDS
 * names now (`admins.configured`; they may have changed since the last start) and every standing
 * grant again (grants made before grants were announced, or whose event was lost with a broker).
 * The grants are read `for share`: a revocation committing meanwhile waits for this transaction,
 * and its own event, made after, is the newer one.
 */
export async function announceAdmins(em: ServiceEntityManager, adminTelegramIds: ReadonlySet<number>) {
  await em.transactional(async (tx) => {
    const granted = await tx.execute<{ id: string }[]>(
      'select id from users where admin_granted_at is not null order by id for share',
    );
    await addToOutbox(
      tx,
      createEvent('admins.configured', { telegramIds: [...adminTelegramIds].sort((a, b) => a - b) }),
      ...granted.map(({ id }) => createEvent('user.admin_grant_changed', { userId: id, granted: true })),
    );
  });
}
