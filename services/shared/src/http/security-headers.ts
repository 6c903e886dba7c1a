import type { MiddlewareHandler } from 'hono';

// The OWASP REST Security set: what matters for a JSON API. A browser-page set (DNS prefetch,
// download options, cross-origin embedder policy, ...) adds bytes to every answer and protects
// nothing a JSON client renders; on a cached read those headers cost about a third of the time.
const common: readonly (readonly [string, string])[] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
  ['Referrer-Policy', 'no-referrer'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
];
const neverFramed = ['X-Frame-Options', 'DENY'] as const;
const apiPolicy = "default-src 'none'; frame-ancestors 'none'";
// Swagger UI needs its own scripts and styles (served from this origin; no inline script).
const docsPolicy =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'";

/** The security headers of every answer outside `/docs`; a fast path in front of Hono sends these too. */
export const apiSecurityHeaders: readonly (readonly [string, string])[] = [
  neverFramed,
  ...common,
  ['Content-Security-Policy', apiPolicy],
];
const docsSecurityHeaders = [neverFramed, ...common, ['Content-Security-Policy', docsPolicy]] as const;

/** Sets the security headers before the handler runs, so they join the response at no extra cost. */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
  for (const [name, value] of c.req.path.startsWith('/docs') ? docsSecurityHeaders : apiSecurityHeaders)
    c.header(name, value);
  await next();
};

/**
 * The security headers of a part that serves HTML pages (the storefront): the same set with
 * `policy` as the Content-Security-Policy, and without X-Frame-Options, since the policy's
 * `frame-ancestors` decides who may show the pages in a frame (Telegram opens a Mini App in one).
 */
export function pageSecurityHeaders(policy: string): MiddlewareHandler {
  const headers = [...common, ['Content-Security-Policy', policy]] as const;
  return async (c, next) => {
    for (const [name, value] of headers) c.header(name, value);
    await next();
  };
}
