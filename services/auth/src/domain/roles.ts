import type { Role } from '@shop/shared';
import type { User } from '../db/entities.ts';

/**
 * A user is an admin while a shop operator's grant stands (`npm run admin -- grant <email>`) or
 * while the Telegram account linked to it (proven by Telegram, through the bot) is named in
 * ADMIN_TELEGRAM_IDS. An e-mail address never makes anyone an admin: nobody proves owning it.
 * The role is computed afresh at every login, refresh and link, so a change takes effect at the
 * user's next refresh.
 */
export function roleOf(
  user: Pick<User, 'adminGrantedAt' | 'telegramId'>,
  adminTelegramIds: ReadonlySet<number>,
): Role {
  const namedByTelegram = user.telegramId != null && adminTelegramIds.has(user.telegramId);
  return user.adminGrantedAt != null || namedByTelegram ? 'admin' : 'user';
}
