import { conflict, flushOrConflict, notFound, type Role } from '@shop/shared';
import { User } from '../db/entities.ts';
import type { AuthDeps } from '../deps.ts';
import { passwordTooLongForBcrypt } from '../domain/passwords.ts';
import { roleOf } from '../domain/roles.ts';
import { issueTokenPair } from './sessions.ts';
import type { TokenPair } from '../domain/tokens.ts';

export interface PublicUser {
  id: string;
  /** Null for an account made by signing in with Telegram. */
  email: string | null;
  role: Role;
  telegramId: number | null;
}

export const toPublicUser = (deps: AuthDeps, user: User): PublicUser => ({
  id: user.id,
  email: user.email ?? null,
  role: roleOf(user, deps.adminTelegramIds),
  telegramId: user.telegramId ?? null,
});

/**
 * Creates an account, always without the admin role (see domain/roles.ts); the unique index decides
 * between two concurrent registrations.
 */
export async function register(
  deps: AuthDeps,
  email: string,
  password: string,
): Promise<PublicUser & { email: string }> {
  const passwordHash = await deps.hasher.hash(password);
  const em = deps.em.fork();
  const user = em.create(User, { email, passwordHash, adminGrantedAt: null });
  await flushOrConflict(em, () => conflict('email_taken', 'An account with this e-mail already exists'));
  return { ...toPublicUser(deps, user), email };
}

/**
 * Checks the password and issues tokens. Unknown e-mail and wrong password give the same
 * answer after the same bcrypt work (an account without e-mail has no password to match); repeated failures lock the account with growing delays
 * for every client but those that signed in to it before (see throttle/login-throttle.ts).
 */
export async function login(
  deps: AuthDeps,
  email: string,
  password: string,
  client: string,
): Promise<TokenPair> {
  const em = deps.em.fork();
  const user = await deps.throttle.attempt(email, client, async () => {
    const found = await em.findOne(User, { email });
    const matches = await deps.hasher.verify(password, found?.passwordHash ?? deps.decoyHash);
    // bcrypt would compare only the first 72 bytes; a longer password is never the stored one.
    return found && matches && !passwordTooLongForBcrypt(password) ? found : undefined;
  });
  return issueTokenPair(deps, em, user);
}

export async function getUser(deps: AuthDeps, id: string): Promise<PublicUser> {
  const user = await deps.em.fork().findOne(User, { id });
  if (!user) throw notFound('User');
  return toPublicUser(deps, user);
}
