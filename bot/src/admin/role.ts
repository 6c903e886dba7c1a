import type { Context } from 'grammy';
import type { Dependencies } from '../context.ts';

type RoleDeps = Pick<Dependencies, 'auth' | 'signIns'>;

/**
 * Whether the user of `token` is an admin at this moment, asked of auth (`GET /auth/me`), which
 * works the role out from its database at every call: a grant or a revocation counts from the
 * next step on. The token's own `role` claim is not trusted for this: it is as of the token's
 * signing, and a token lives for minutes.
 */
async function adminNow(deps: RoleDeps, token: string): Promise<boolean> {
  return (await deps.auth.me(token)).role === 'admin';
}

/**
 * Whether the user of this update is an admin now. Asked at /admin, /announce, every merchant
 * button and every step of a merchant's form or announcement. A user auth cannot sign in (or an
 * auth that is down) is no admin for the moment: the answer must never reveal that an admin menu
 * exists.
 */
export async function isAdmin(
  deps: RoleDeps & Pick<Dependencies, 'logger'>,
  ctx: Pick<Context, 'from'>,
): Promise<boolean> {
  const from = ctx.from;
  if (!from || from.is_bot) return false;
  try {
    return await deps.signIns.withToken(from, (token) => adminNow(deps, token));
  } catch (error) {
    deps.logger.warn({ err: error, telegramId: from.id }, 'could not learn the role; treated as no admin');
    return false;
  }
}

/** An admin's token for `fn`, the role asked of auth first; throws NotAdminError when it is gone. */
export async function asAdmin<T>(
  deps: RoleDeps,
  from: NonNullable<Context['from']>,
  fn: (token: string) => Promise<T>,
): Promise<T> {
  return deps.signIns.withToken(from, async (token) => {
    if (!(await adminNow(deps, token))) throw new NotAdminError();
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
