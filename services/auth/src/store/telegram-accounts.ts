import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import {
  AppError,
  addToOutbox,
  conflict,
  createEvent,
  notFound,
  type ServiceEntityManager,
} from '@shop/shared';
import { User } from '../db/entities.ts';
import type { AuthDeps } from '../deps.ts';
import { profileUpdate, type TelegramProfile } from '../domain/telegram-profile.ts';
import type { TokenPair } from '../domain/tokens.ts';
import { toPublicUser, type PublicUser } from './accounts.ts';
import { issueTokenPair, revokeAllFamilies } from './sessions.ts';

/** Writes the profile into the account; true when notification must hear of it (language or first name). */
function applyProfile(user: User, profile: TelegramProfile): boolean {
  const { next, announced } = profileUpdate(user, profile);
  Object.assign(user, next);
  return announced;
}

/**
 * `user.telegram_linked`, committed with the change it announces: notification learns the chat,
 * its language, and the first name the merchant's alerts call the buyer by.
 */
async function announceLink(em: ServiceEntityManager, user: User, telegramId: number): Promise<void> {
  await addToOutbox(
    em,
    createEvent('user.telegram_linked', {
      userId: user.id,
      telegramId,
      languageCode: user.languageCode ?? undefined,
      firstName: user.firstName ?? undefined,
    }),
  );
}

/** A Mini App's initData refused (401); nothing is made or changed. */
export const initDataRefused = (message: string) => new AppError(401, 'invalid_init_data', message);

export interface TelegramSignIn {
  pair: TokenPair;
  /** True when this call made the account. */
  created: boolean;
}

/**
 * Signs in the account linked to the Telegram id, making one without e-mail or password if there
 * is none. The caller vouches for the id: the bot (its service token) or a Mini App (its signed
 * `initData`, whose `auth_date` is `issuedAt`: refused with 401 if the account has signed out
 * since, so initData cannot outlive a sign-out). The unique index on `telegram_id` decides
 * between concurrent first sign-ins: the insert of the second waits for the first and then does
 * nothing, so both get the one account. The profile is brought up to date; a new account or a new
 * language is announced.
 */
export async function signInWithTelegram(
  deps: AuthDeps,
  profile: TelegramProfile,
  options: { issuedAt?: Date } = {},
): Promise<TelegramSignIn> {
  return deps.em.fork().transactional(async (em) => {
    const { affectedRows } = await em.execute<{ affectedRows: number }>(
      `insert into users (id, telegram_id, language_code, first_name, username, created_at, updated_at)
       values (?, ?, ?, ?, ?, now(), now()) on conflict (telegram_id) do nothing`,
      [
        crypto.randomUUID(),
        profile.telegramId,
        profile.languageCode ?? null,
        profile.firstName ?? null,
        profile.username ?? null,
      ],
      'run',
    );
    const created = affectedRows > 0;
    const user = await em.findOneOrFail(
      User,
      { telegramId: profile.telegramId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (options.issuedAt && user.signedOutAt && !issuedAfter(options.issuedAt, user.signedOutAt))
      throw initDataRefused('This account signed out after this initData was issued: reopen the Mini App');
    const profileChanged = applyProfile(user, profile);
    if (created || profileChanged) await announceLink(em, user, profile.telegramId);
    return { pair: await issueTokenPair(deps, em, user), created };
  });
}

/**
 * Whether what Telegram issued at `issuedAt` (whole seconds, as `auth_date`) came after the
 * sign-out: what was issued in the second of the sign-out may have come before it, so it does not.
 */
const issuedAfter = (issuedAt: Date, signedOutAt: Date): boolean =>
  Math.floor(issuedAt.getTime() / 1000) > Math.floor(signedOutAt.getTime() / 1000);

const linkedElsewhere = () =>
  conflict('telegram_linked_elsewhere', 'This Telegram account is already linked to another user');

async function linkOnce(
  deps: AuthDeps,
  em: ServiceEntityManager,
  userId: string,
  link: TelegramProfile,
): Promise<PublicUser> {
  const user = await em.findOne(User, { id: userId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!user) throw notFound('User');
  if (user.telegramId != null && user.telegramId !== link.telegramId) {
    throw conflict('account_linked_elsewhere', 'This account is already linked to another Telegram account');
  }
  const newLink = user.telegramId == null;
  if (newLink) {
    const holder = await em.findOne(
      User,
      { telegramId: link.telegramId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (holder?.email != null) throw linkedElsewhere();
    if (holder) {
      // A Telegram-only account: its one way in is this Telegram account, whose owner is the one
      // linking. It keeps its orders but no way in: its sessions end with its link.
      holder.telegramId = null;
      await em.flush();
      await revokeAllFamilies(em, holder.id);
    }
    user.telegramId = link.telegramId;
  }
  const profileChanged = applyProfile(user, link);
  await em.flush();
  if (newLink || profileChanged) await announceLink(em, user, link.telegramId);
  return toPublicUser(deps, user);
}

/**
 * Links a Telegram account to a signed-in e-mail account. An e-mail account keeps its link: no
 * chat takes over another's account, and no account is moved to another chat (409). A
 * Telegram-only account holding the link gives it up, its orders staying with it (see
 * docs/security.md). The link and its `user.telegram_linked` event commit together. A Telegram id
 * named in ADMIN_TELEGRAM_IDS makes the user an admin from their next token on.
 */
export async function linkTelegram(
  deps: AuthDeps,
  userId: string,
  link: TelegramProfile,
): Promise<PublicUser> {
  // A first sign-in with this Telegram id may commit between the holder's lookup and the flush:
  // the second round finds it as the holder.
  for (let round = 1; ; round++) {
    try {
      return await deps.em.fork().transactional((em) => linkOnce(deps, em, userId, link));
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      if (round === 2) throw linkedElsewhere();
    }
  }
}
