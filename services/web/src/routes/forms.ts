import type { Context } from 'hono';

/** A form's fields as text (a file field counts as empty). */
export async function formOf(c: Context): Promise<(name: string) => string> {
  const body = await c.req.parseBody();
  return (name) => {
    const value = body[name];
    return typeof value === 'string' ? value : '';
  };
}

/** A path of this site to go back to after signing in; anything else (`//evil`, `https:`) is `/`. */
export const localPath = (raw: string | undefined): string =>
  raw !== undefined && /^\/(?![/\\])/.test(raw) && raw.length <= 2000 ? raw : '/';

/** 303 to the sign-in page, which comes back to `next` (the page asked for) once signed in. */
export const toSignIn = (c: Context, next: string) =>
  c.redirect(`/signin?${new URLSearchParams({ next }).toString()}`, 303);
