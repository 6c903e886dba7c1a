import { badRequest } from './errors.ts';

/** Where a Web App URL came from, as Telegram names it in its refusal. */
export type WebAppButtonKind = 'menu button' | 'inline keyboard button' | 'keyboard button';

// This machine, as the web chat's Content-Security-Policy can name it (WEB_CHAT_POLICY; CSP has no
// IPv6 hosts): the sandbox's users are here too, so a Mini App served here over http can open.
const LOOPBACK = /^(localhost|[\w-]+\.localhost|127\.0\.0\.1)$/i;

/** Whether a Web App at `url` opens in the sandbox: https anywhere, http on this machine only. */
export function opensHere(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname));
}

/**
 * A Web App's URL checked as Telegram checks it: a link that does not parse or is not http(s) is
 * "Wrong HTTP URL", and http is "Only HTTPS links are allowed" — except on this machine (loopback),
 * which the sandbox allows as Telegram's test environment allows http: a local storefront can be
 * opened without a certificate. Returns the URL as Telegram stores it (normalized).
 */
export function webAppUrl(raw: string, kind: WebAppButtonKind): string {
  const refuse = (reason: string) => badRequest(`${kind} Web App URL '${raw}' is invalid: ${reason}`);
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '')
    throw refuse('Wrong HTTP URL');
  if (!opensHere(url)) throw refuse('Only HTTPS links are allowed');
  return url.href;
}
