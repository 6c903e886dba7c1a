import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';

/** The header a script's request carries a Mini App session's CSRF token in. */
export const CSRF_HEADER = 'X-CSRF-Token';
/** The form field a form carries it in (the bridge adds it to every form of the page). */
export const CSRF_FIELD = 'csrf';

const FORMS = /^(application\/x-www-form-urlencoded|multipart\/form-data)/;

const same = (sent: string, expected: string) =>
  sent.length === expected.length && timingSafeEqual(Buffer.from(sent), Buffer.from(expected));

/**
 * Whether the request carries `expected`, the CSRF token of the Mini App session its cookie
 * names: in `X-CSRF-Token`, or a form's `csrf` field. Compared in constant time. The form is
 * parsed here once; the route reads the same parsed body (Hono keeps it).
 */
export async function carriesCsrfToken(c: Context, expected: string): Promise<boolean> {
  const header = c.req.header(CSRF_HEADER);
  if (header !== undefined) return same(header, expected);
  if (!FORMS.test(c.req.header('Content-Type') ?? '')) return false;
  const field = (await c.req.parseBody())[CSRF_FIELD];
  return typeof field === 'string' && same(field, expected);
}
