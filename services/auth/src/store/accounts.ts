import { addToOutbox, conflict, createEvent, flushOrConflict, notFound, type Role } from '@shop/shared';
import { User } from '../db/entities.ts';
import type { AuthDeps } from '../deps.ts';
import { passwordTooLongForBcrypt } from '../domain/passwords.ts';
import { roleOf } from '../domain/roles.ts';
import { issueTokenPair } from './sessions.ts';
import type { TokenPair } from '../domain/tokens.ts';

export interface PublicUser {
  id: string;
  email: string;
  role: Role;
  telegramId: number | null;
}

export const toPublicUser = (deps: AuthDeps, user: User): PublicUser => ({
  id: user.id,
  email: user.email,
  role: roleOf(user, deps.adminTelegramIds),
  telegramId: user.telegramId ?? null,
});

/**
 * Creates an account, always without the admin role (see domain/roles.ts); the unique index decides
 * between two concurrent registrations.
 */
export async function register(deps: AuthDeps, email: string, password: string): Promise<PublicUser> {
  const passwordHash = await deps.hasher.hash(password);
  const em = deps.em.fork();
  const user = em.create(User, { email, passwordHash, adminGrantedAt: null });
  await flushOrConflict(em, () => conflict('email_taken', 'An account with this e-mail already exists'));
  return toPublicUser(deps, user);
}

/**
 * Checks the password and issues tokens. Unknown e-mail and wrong password give the same
 * answer after the same bcrypt work; repeated failures lock the account with growing delays
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

/**
 * Links a Telegram account to the signed-in user. One Telegram account maps to one user and
 * back: relinking either side to someone else is refused, so no chat can take over an account.
 * The link and its `user.telegram_linked` event commit together, so notification learns the chat.
 * A Telegram id named in ADMIN_TELEGRAM_IDS makes the user an admin from their next token on.
 */
export async function linkTelegram(
  deps: AuthDeps,
  userId: string,
  link: { telegramId: number; languageCode?: string | undefined },
): Promise<PublicUser> {
  return deps.em.fork().transactional(async (em) => {
    const user = await em.findOne(User, { id: userId });
    if (!user) throw notFound('User');
    if (user.telegramId != null && user.telegramId !== link.telegramId) {
      throw conflict(
        'account_linked_elsewhere',
        'This account is already linked to another Telegram account',
      );
    }
    const languageCode = link.languageCode ?? user.languageCode ?? undefined;
    if (user.telegramId === link.telegramId && user.languageCode === (languageCode ?? null))
      return toPublicUser(deps, user);
    user.telegramId = link.telegramId;
    user.languageCode = languageCode ?? null;
    await flushOrConflict(em, () =>
      conflict('telegram_linked_elsewhere', 'This Telegram account is already linked to another user'),
    );
    await addToOutbox(
      em,
      createEvent('user.telegram_linked', { userId: user.id, telegramId: link.telegramId, languageCode }),
    );
    return toPublicUser(deps, user);
  });
}
