import { STARS_CURRENCY, type OrderChannel, type PaymentMethod } from '@shop/shared';

export interface MethodSettings {
  /** TELEGRAM_PAYMENT_PROVIDER_TOKEN is set: a provider takes every currency but Stars. */
  hasProvider: boolean;
  /** NODE_ENV=production: the simulated provider never runs. */
  production: boolean;
}

/**
 * How an order in `currency`, placed from `channel`, is paid (docs/decisions/telegram-payments.md,
 * docs/decisions/mini-app-session.md). In Telegram (the chat, or the Mini App; an order without a
 * channel is the chat's): Stars always by a Stars invoice; anything else by a provider invoice when
 * a provider is connected, else by the simulated provider. In a browser (`web`): by the web method,
 * today the simulated provider (Stars cannot be paid there; the order service refuses such an
 * order). The simulated provider never runs in production: there is then no way (undefined).
 */
export function methodFor(
  currency: string,
  channel: OrderChannel | undefined,
  { hasProvider, production }: MethodSettings,
): PaymentMethod | undefined {
  const web = channel === 'web';
  if (currency === STARS_CURRENCY) return web ? undefined : 'stars';
  if (hasProvider && !web) return 'telegram';
  return production ? undefined : 'simulated';
}
