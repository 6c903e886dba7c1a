/** Telegram's web clients (web.telegram.org and its versions) open a Mini App in a frame. */
const TELEGRAM_WEB_CLIENTS = ['https://web.telegram.org', 'https://*.telegram.org'];
/** Outside production: pages of this machine, such as the local sandbox's web chat, on any port. */
const LOCAL_PAGES = ['http://localhost:*', 'http://127.0.0.1:*'];

/**
 * The storefront's Content-Security-Policy: everything from this origin only, no inline script
 * or style (nothing in the pages needs them), forms posted only here, and shown in a frame only
 * by this origin, Telegram's web clients and, outside production, local pages.
 */
export function contentSecurityPolicy({ production }: { production: boolean }): string {
  const ancestors = ["'self'", ...TELEGRAM_WEB_CLIENTS, ...(production ? [] : LOCAL_PAGES)];
  return [
    "default-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${ancestors.join(' ')}`,
  ].join('; ');
}
