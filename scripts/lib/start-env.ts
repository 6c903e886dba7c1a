/**
 * The environment `npm start` hands to every part. Secrets are never defaults printed in the
 * repository: a BOT_SERVICE_TOKEN that is not set is made for this run, and without
 * TELEGRAM_BOT_TOKEN a bot token is made for this run too, known only to the local sandbox and
 * the parts that talk to it, with a payment provider token for the sandbox's invoices, and the
 * local storefront as the bot's Mini App.
 */
import { randomBytes, randomInt } from 'node:crypto';

export interface StartEnvInput {
  /** The environment `npm start` runs in (`.env` already applied). */
  env: NodeJS.ProcessEnv;
  /** The port of each part, by its variable name. */
  ports: Record<
    | 'AUTH_PORT'
    | 'CATALOG_PORT'
    | 'ORDER_PORT'
    | 'PAYMENT_PORT'
    | 'NOTIFICATION_PORT'
    | 'WEB_PORT'
    | 'SANDBOX_PORT',
    number
  >;
  /** Whether stdout is a terminal (readable logs) or a pipe (JSON logs). */
  tty: boolean;
}

/** A secret for BOT_SERVICE_TOKEN: 256 random bits. */
export const makeServiceToken = (): string => randomBytes(32).toString('base64url');

/** A bot token of Telegram's shape (`<bot id>:<35 characters>`) that no real bot owns. */
export const makeBotToken = (): string =>
  `${randomInt(1_000_000_000, 10_000_000_000)}:${randomBytes(26).toString('base64url')}`;

/**
 * A payment provider token for the sandbox, of the shape of a provider's test token in @BotFather
 * (`<id>:TEST:<secret>`): orders in currencies other than XTR are paid by invoice in the web chat.
 */
export const makeSandboxProviderToken = (): string =>
  `${randomInt(100_000_000, 1_000_000_000)}:TEST:sandbox-${randomBytes(12).toString('base64url')}`;

/**
 * The sandbox user `npm start` makes the shop's admin when ADMIN_TELEGRAM_IDS is not set, so a
 * newcomer can try the merchant's side (/admin) in the web chat at once. Sandbox users made in the
 * web chat get ids of ten digits; this one can never be one of them.
 */
export const SANDBOX_OWNER = { id: 100_000, firstName: 'Shop owner', languageCode: 'en' } as const;

/** Without TELEGRAM_BOT_TOKEN the shop talks to the local sandbox instead of Telegram. */
export const usesSandbox = (env: NodeJS.ProcessEnv): boolean => !env.TELEGRAM_BOT_TOKEN;

export function startEnv({ env, ports, tty }: StartEnvInput): NodeJS.ProcessEnv {
  const sandbox = usesSandbox(env);
  return {
    ...env,
    LOG_FORMAT: env.LOG_FORMAT || (tty ? 'pretty' : 'json'),
    // The parts find each other on the ports chosen here, unless an address is set explicitly.
    AUTH_URL: env.AUTH_URL || `http://127.0.0.1:${ports.AUTH_PORT}`,
    CATALOG_URL: env.CATALOG_URL || `http://127.0.0.1:${ports.CATALOG_PORT}`,
    ORDER_URL: env.ORDER_URL || `http://127.0.0.1:${ports.ORDER_PORT}`,
    PAYMENT_URL: env.PAYMENT_URL || `http://127.0.0.1:${ports.PAYMENT_PORT}`,
    NOTIFICATION_URL: env.NOTIFICATION_URL || `http://127.0.0.1:${ports.NOTIFICATION_PORT}`,
    // One value for auth and the bot alike: every part gets this same environment.
    BOT_SERVICE_TOKEN: env.BOT_SERVICE_TOKEN || makeServiceToken(),
    // The token made here is known to the local sandbox alone, so the Bot API must be the sandbox.
    ...(sandbox
      ? { TELEGRAM_BOT_TOKEN: makeBotToken(), TELEGRAM_API_ROOT: `http://127.0.0.1:${ports.SANDBOX_PORT}` }
      : {}),
    // The sandbox's web chat shows an invoice's product photo from the local catalog; Telegram
    // could not reach it, so only with the sandbox.
    ...(sandbox && !env.PUBLIC_CATALOG_URL
      ? { PUBLIC_CATALOG_URL: `http://127.0.0.1:${ports.CATALOG_PORT}` }
      : {}),
    // The sandbox takes provider payments too, so a newcomer's orders in EUR get invoices.
    ...(sandbox && !env.TELEGRAM_PAYMENT_PROVIDER_TOKEN
      ? { TELEGRAM_PAYMENT_PROVIDER_TOKEN: makeSandboxProviderToken() }
      : {}),
    // The sandbox's web chat opens the local storefront as the bot's Mini App (Telegram would refuse
    // http). localhost, as the web chat's own address is printed: the storefront in its frame is
    // then same-site, so its SameSite cookies hold.
    ...(sandbox && !env.BOT_MINI_APP_URL
      ? { BOT_MINI_APP_URL: env.WEB_PUBLIC_ORIGIN || `http://localhost:${ports.WEB_PORT}` }
      : {}),
    // With the sandbox and no admins named, its shop owner is the admin (see SANDBOX_OWNER).
    ...(sandbox && !env.ADMIN_TELEGRAM_IDS ? { ADMIN_TELEGRAM_IDS: String(SANDBOX_OWNER.id) } : {}),
  };
}
