import { languageOf, languageOfAcceptLanguage, type Language } from '@shop/shared';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

const COOKIE = 'lang';
export const isLanguage = (value: string | undefined): value is Language => value === 'en' || value === 'ru';

/** Remembers `lang` for the pages after this one. */
export function rememberLanguage(c: Context, lang: Language): void {
  // A preference, not a credential: readable by no script, and sent in Telegram Web's cross-site
  // frame too (SameSite=None needs Secure; kept apart per top-level site, as the Mini App's session).
  setCookie(c, COOKIE, lang, {
    path: '/',
    httpOnly: true,
    sameSite: 'None',
    secure: true,
    partitioned: true,
    maxAge: 365 * 86_400,
  });
}

/** The language a Mini App's pages start in: its Telegram user's, unless one was chosen here. */
export function adoptLanguage(c: Context, languageCode: unknown): void {
  if (getCookie(c, COOKIE) !== undefined || typeof languageCode !== 'string') return;
  rememberLanguage(c, languageOf(languageCode));
}

/**
 * The language of a page: `?lang=en|ru` (remembered in a cookie for the pages after it), else the
 * remembered one, else the browser's (Accept-Language), else English.
 */
export function pageLanguage(c: Context): Language {
  const asked = c.req.query('lang');
  if (isLanguage(asked)) {
    rememberLanguage(c, asked);
    return asked;
  }
  const kept = getCookie(c, COOKIE);
  return isLanguage(kept) ? kept : languageOfAcceptLanguage(c.req.header('Accept-Language'));
}
