import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A Mini App's `initData` (Telegram.WebApp.initData), signed and checked as Telegram documents it
 * (core.telegram.org/bots/webapps, "Validating data received via the Mini App"): the `hash` field
 * is the hex HMAC-SHA-256 of the data-check-string (every other field as `key=value`, sorted by
 * key, joined by line feeds) under the key HMAC-SHA-256("WebAppData", bot token). Auth checks it;
 * the local sandbox, standing in for Telegram, signs it.
 */

/** The key initData is signed with: HMAC-SHA-256 of the bot's token, keyed with "WebAppData". */
export const initDataKey = (botToken: string): Buffer =>
  createHmac('sha256', 'WebAppData').update(botToken).digest();

/** The Telegram user initData names, as Telegram sent it (`WebAppUser`, the fields auth keeps). */
export interface InitDataUser {
  id: number;
  language_code?: unknown;
  first_name?: unknown;
  username?: unknown;
}

/** The outcome of `checkInitData`: the user and `auth_date`, or why it was refused. */
export type InitDataCheck =
  | { ok: true; user: InitDataUser; authDate: number }
  | { ok: false; reason: 'malformed' | 'bad_hash' | 'expired' | 'from_the_future' };

/** What `checkInitData` holds `auth_date` to. */
export interface InitDataRules {
  /** WEBAPP_AUTH_MAX_AGE_SECONDS: an older `auth_date` is refused. */
  maxAgeSeconds: number;
  /** How far `auth_date` may be ahead of this machine's clock (clocks drift). */
  skewSeconds: number;
  /** Unix time in seconds. */
  now: number;
}

const HASH = /^[0-9a-f]{64}$/;
const UNIX_TIME = /^\d{1,12}$/;

/** The data-check-string of `fields` without `hash`, or undefined when a key appears twice. */
function dataCheckString(fields: URLSearchParams): string | undefined {
  const entries = [...fields].filter(([key]) => key !== 'hash');
  if (new Set(entries.map(([key]) => key)).size !== entries.length) return undefined;
  return entries
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}

function userOf(json: string | null): InitDataUser | undefined {
  if (json === null) return undefined;
  try {
    const user = JSON.parse(json) as unknown;
    if (typeof user !== 'object' || user === null) return undefined;
    const { id } = user as { id?: unknown };
    return Number.isSafeInteger(id) && (id as number) > 0 ? (user as InitDataUser) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks `initData` against `key` (`initDataKey`) and its age. The hash is compared in constant
 * time and before anything in the data is believed; a field given twice is refused (which of the
 * two was signed would be a guess).
 */
export function checkInitData(initData: string, key: Buffer, rules: InitDataRules): InitDataCheck {
  const fields = new URLSearchParams(initData);
  const [hash, ...more] = fields.getAll('hash');
  const checked = dataCheckString(fields);
  if (hash === undefined || more.length > 0 || !HASH.test(hash) || checked === undefined)
    return { ok: false, reason: 'malformed' };
  const expected = createHmac('sha256', key).update(checked).digest();
  if (!timingSafeEqual(expected, Buffer.from(hash, 'hex'))) return { ok: false, reason: 'bad_hash' };

  const user = userOf(fields.get('user'));
  const authDate = fields.get('auth_date') ?? '';
  if (!user || !UNIX_TIME.test(authDate)) return { ok: false, reason: 'malformed' };
  const issued = Number(authDate);
  if (rules.now - issued > rules.maxAgeSeconds) return { ok: false, reason: 'expired' };
  if (issued - rules.now > rules.skewSeconds) return { ok: false, reason: 'from_the_future' };
  return { ok: true, user, authDate: issued };
}

/** Signs `fields` as Telegram does: the initData a Mini App would get (the sandbox's, and tests'). */
export function signInitData(fields: Record<string, string>, key: Buffer): string {
  const params = new URLSearchParams(fields);
  params.delete('hash');
  const hash = createHmac('sha256', key)
    .update(dataCheckString(params) ?? '')
    .digest('hex');
  params.set('hash', hash);
  return params.toString();
}
