import { randomBytes } from 'node:crypto';
import { signInitData } from '@shop/shared';
import { unixNow } from '../world/chats.ts';
import type { SandboxUser } from '../world/types.ts';
import type { ThemeParams } from './themes.ts';

/** The Mini Apps version the web chat's bridge speaks, and the platform it says it is (a web client). */
export const MINI_APP_VERSION = '8.0';
export const MINI_APP_PLATFORM = 'weba';

/** What a Mini App opened from a button gets. */
export interface Launch {
  /** The Web App URL the bot gave, with the launch parameters in its hash. */
  launchUrl: string;
  /** Telegram.WebApp.initData: the signed query string. */
  initData: string;
  queryId: string;
}

/** The user as initData names them (WebAppUser). */
const webAppUser = (user: SandboxUser) =>
  JSON.stringify({
    id: user.id,
    first_name: user.firstName,
    ...(user.username ? { username: user.username } : {}),
    language_code: user.languageCode,
    allows_write_to_pm: true,
  });

/**
 * Opens `url` for `user` as Telegram's client does for a menu or inline-keyboard button: initData
 * with a new query_id, the user and auth_date, signed with the bot's key (`initDataKey`), and the
 * launch parameters in the URL's hash (tgWebAppData, tgWebAppVersion, tgWebAppPlatform,
 * tgWebAppThemeParams). A URL that has a hash already keeps it as the path before a `?`, which
 * Telegram's own bridge reads too.
 */
export function launch(
  url: string,
  user: SandboxUser,
  key: Buffer,
  themeParams: ThemeParams,
  now = unixNow(),
): Launch {
  const queryId = randomBytes(18).toString('base64url');
  const initData = signInitData({ query_id: queryId, user: webAppUser(user), auth_date: String(now) }, key);
  const params = new URLSearchParams({
    tgWebAppData: initData,
    tgWebAppVersion: MINI_APP_VERSION,
    tgWebAppPlatform: MINI_APP_PLATFORM,
    tgWebAppThemeParams: JSON.stringify(themeParams),
  }).toString();
  const target = new URL(url);
  const path = target.hash.slice(1);
  target.hash = path ? `${path}?${params}` : params;
  return { launchUrl: target.href, initData, queryId };
}
