import { accessClaimsSchema } from '@shop/shared';
import type { Context } from 'grammy';
import type { Dependencies } from '../context.ts';

const roleClaim = accessClaimsSchema.pick({ role: true });

/**
 * The role an access token carries. Read, not verified: the token came straight from auth to
 * the bot, and every service it is sent to verifies it (an admin write with a user's token is a
 * 403 there whatever the bot believed).
 */
export function roleOfToken(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const parsed = roleClaim.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data.role : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the user of this update is an admin now: the role of their access token, which auth
 * computes afresh at every sign-in and refresh. Asked at /admin and again at every admin button
 * and step. A user auth cannot sign in (or an auth that is down) is no admin for the moment: the
 * answer must never reveal that an admin menu exists.
 */
export async function isAdmin(deps: Pick<Dependencies, 'signIns' | 'logger'>, ctx: Pick<Context, 'from'>) {
  const from = ctx.from;
  if (!from || from.is_bot) return false;
  try {
    return await deps.signIns.withToken(from, (token) => Promise.resolve(roleOfToken(token) === 'admin'));
  } catch (error) {
    deps.logger.warn({ err: error, telegramId: from.id }, 'could not learn the role; treated as no admin');
    return false;
  }
}

/** An admin's token for `fn`; throws NotAdminError when the role is gone meanwhile. */
export async function asAdmin<T>(
  deps: Pick<Dependencies, 'signIns'>,
  from: NonNullable<Context['from']>,
  fn: (token: string) => Promise<T>,
): Promise<T> {
  return deps.signIns.withToken(from, async (token) => {
    if (roleOfToken(token) !== 'admin') throw new NotAdminError();
    return fn(token);
  });
}

/** The user is not (or no longer) an admin: whatever they asked for is treated as no admin button. */
export class NotAdminError extends Error {
  constructor() {
    super('Not an admin');
    this.name = 'NotAdminError';
  }
}
