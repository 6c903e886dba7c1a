import type { User } from 'grammy/types';
import type { TelegramProfile } from './clients/auth.ts';

/** The part of an update's `from` the shop keeps about a user. */
export type TelegramFrom = Pick<User, 'id' | 'first_name' | 'username' | 'language_code'>;

// Auth's rules (services/auth/src/routes/schemas.ts): what breaks them is left out, never refused.
const LANGUAGE = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/;
const USERNAME = /^[A-Za-z0-9_]{1,32}$/;
const MAX_NAME_UNITS = 128;

/** Drops control characters and keeps whole characters up to auth's limit; undefined when nothing is left. */
function nameOf(firstName: string): string | undefined {
  let name = '';
  for (const char of firstName.replace(/\p{Cc}/gu, '')) {
    if (name.length + char.length > MAX_NAME_UNITS) break;
    name += char;
  }
  return name === '' ? undefined : name;
}

/** What auth is told about the user behind `from`; a field Telegram gave in a shape auth refuses is left out. */
export function profileOf(from: TelegramFrom): TelegramProfile {
  const code = from.language_code;
  return {
    telegramId: from.id,
    languageCode: code !== undefined && code.length <= 35 && LANGUAGE.test(code) ? code : undefined,
    firstName: nameOf(from.first_name),
    username: from.username !== undefined && USERNAME.test(from.username) ? from.username : null,
  };
}

/** Equal for two profiles auth would store alike: the bot tells auth again only when this changes. */
export const profileKey = (profile: TelegramProfile): string =>
  JSON.stringify([profile.languageCode ?? null, profile.firstName ?? null, profile.username ?? null]);
