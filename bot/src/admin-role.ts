import type { Dependencies } from './context.ts';
import type { TelegramFrom } from './telegram-profile.ts';

/**
 * Whether the Telegram user is an admin now: asked of auth (`GET /auth/me`, the role as it is,
 * not as an older token says), through the user's sign-in by Telegram identity. Checked again at
 * every step of an admin's flow, so a role revoked midway stops it.
 */
export async function isAdmin(deps: Dependencies, from: TelegramFrom): Promise<boolean> {
  const me = await deps.signIns.withToken(from, (token) => deps.auth.me(token));
  return me.role === 'admin';
}
