import { AppError, clientAddress } from '@shop/shared';
import type { Context } from 'hono';
import { HasherBusyError, type PasswordHasher } from '../passwords/password-hasher.ts';
import type { PasswordRateLimit } from '../throttle/rate-limit.ts';
import type { ServiceTokenCheck } from '../throttle/service-token.ts';

// The end user the bot speaks for; believed only from a caller holding the bot's token.
const NAMED_CLIENT = /^telegram:\d{1,20}$/;

/**
 * A request refused for a limit or a full bcrypt queue is answered only after this pause. A
 * flooding client then gets one answer a second per connection, so refusing it stays cheap and
 * cannot crowd every other request off the event loop; a client that honours Retry-After never
 * notices.
 */
export const REFUSAL_PAUSE_MS = 1_000;

/** Who is calling, as far as limits and lockouts are concerned. */
export interface ClientGate {
  /**
   * The caller of a route that costs a bcrypt job, with one request charged to its rate limit:
   * the `X-Client-Id` the bot names (only with a valid `X-Service-Token`), else its address.
   * A wrong service token is a 403; over a limit, 429; with no room in the bcrypt queue, 503
   * before any other work is done (both after `REFUSAL_PAUSE_MS`).
   */
  passwordClient(c: Context): Promise<string>;
  /**
   * Charges a sign-in that costs no bcrypt job (a Mini App's initData) to the same limits: to
   * `telegram:<id>` (the client the bot names for that user) when Telegram has proven the id,
   * else to the caller's address. Over a limit, 429 after `REFUSAL_PAUSE_MS`.
   */
  chargeSignIn(c: Context, telegramId?: number): Promise<void>;
  /** Only the bot: a valid `X-Service-Token`, else 403; 429 while its address is locked out. */
  requireService(c: Context): Promise<void>;
}

const isRefusal = (error: unknown) =>
  error instanceof HasherBusyError || (error instanceof AppError && error.status === 429);

/** Runs `admit`; a refusal is thrown only after `REFUSAL_PAUSE_MS`. */
async function pausedOnRefusal(admit: () => Promise<void>): Promise<void> {
  try {
    await admit();
  } catch (error) {
    if (isRefusal(error)) await new Promise((resolve) => setTimeout(resolve, REFUSAL_PAUSE_MS));
    throw error;
  }
}

export function createClientGate(options: {
  serviceToken: ServiceTokenCheck;
  rateLimit: PasswordRateLimit;
  hasher: Pick<PasswordHasher, 'ensureRoom'>;
  trustProxyHops: number;
}): ClientGate {
  // Only `app.request()` in tests has no socket; such requests share one identity.
  const addressOf = (c: Context) => clientAddress(c, options.trustProxyHops) ?? 'unknown';
  return {
    async passwordClient(c) {
      const address = addressOf(c);
      const token = c.req.header('X-Service-Token');
      let client = address;
      if (token !== undefined) {
        await options.serviceToken.verify(token, address);
        const named = c.req.header('X-Client-Id');
        if (named !== undefined && NAMED_CLIENT.test(named)) client = named;
      }
      await pausedOnRefusal(async () => {
        await options.rateLimit.admit(client);
        options.hasher.ensureRoom();
      });
      return client;
    },
    chargeSignIn: (c, telegramId) =>
      pausedOnRefusal(() =>
        options.rateLimit.admit(telegramId === undefined ? addressOf(c) : `telegram:${telegramId}`),
      ),
    requireService: (c) => options.serviceToken.verify(c.req.header('X-Service-Token'), addressOf(c)),
  };
}
