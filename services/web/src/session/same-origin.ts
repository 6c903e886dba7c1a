import type { Context } from 'hono';

/** Methods that change nothing: never refused for where they come from. */
export const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a request that changes something comes from this storefront's own pages: its `Origin`
 * is `origin`, or, when the browser sends none or `null` (as it does for a form under our
 * `Referrer-Policy: no-referrer`), its `Sec-Fetch-Site` (which no page can set) says
 * `same-origin`. A request with neither is refused too: no page of ours sends one. Reading
 * requests always pass. `origin` is `WEB_PUBLIC_ORIGIN` when set, else the request's own.
 */
export function isSameOrigin(c: Context, origin: string | undefined): boolean {
  if (SAFE.has(c.req.method)) return true;
  const own = origin ?? new URL(c.req.url).origin;
  const sent = c.req.header('Origin');
  if (sent !== undefined && sent !== 'null') return sent === own;
  return c.req.header('Sec-Fetch-Site') === 'same-origin';
}
