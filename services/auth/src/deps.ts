import type { ServiceEntityManager } from '@shop/shared';
import type { LoginThrottle } from './throttle/login-throttle.ts';
import type { PasswordHasher } from './passwords/password-hasher.ts';
import type { KeyRing } from './store/signing-keys.ts';
import type { TokenSettings } from './domain/tokens.ts';

/** Everything the auth use cases need, injected so tests can build it over real servers. */
export interface AuthDeps {
  /** The root entity manager; each use case forks its own. */
  em: ServiceEntityManager;
  hasher: PasswordHasher;
  throttle: LoginThrottle;
  keys: KeyRing;
  tokens: TokenSettings;
  /** ADMIN_TELEGRAM_IDS: whose linked Telegram account makes them an admin (see domain/roles.ts). */
  adminTelegramIds: ReadonlySet<number>;
  /** How a Mini App's initData is checked; absent without TELEGRAM_BOT_TOKEN (Mini App sign-in answers 503). */
  miniApp?: MiniAppSignIn;
  /** A hash of a random password, checked when the e-mail is unknown so both failures take as long. */
  decoyHash: string;
}

export interface MiniAppSignIn {
  /** `initDataKey(TELEGRAM_BOT_TOKEN)`. */
  key: Buffer;
  /** WEBAPP_AUTH_MAX_AGE_SECONDS. */
  maxAgeSeconds: number;
}
