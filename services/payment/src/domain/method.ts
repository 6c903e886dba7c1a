import { STARS_CURRENCY, type PaymentMethod } from '@shop/shared';

export interface MethodSettings {
  /** TELEGRAM_PAYMENT_PROVIDER_TOKEN is set: a provider takes every currency but Stars. */
  hasProvider: boolean;
  /** NODE_ENV=production: the simulated provider never runs. */
  production: boolean;
}

/**
 * How an order in `currency` is paid (docs/decisions/telegram-payments.md): Stars always by a
 * Stars invoice; anything else by a provider invoice when a provider is connected, else by the
 * simulated provider, except in production, where there is then no way (undefined).
 */
export function methodFor(
  currency: string,
  { hasProvider, production }: MethodSettings,
): PaymentMethod | undefined {
  if (currency === STARS_CURRENCY) return 'stars';
  if (hasProvider) return 'telegram';
  return production ? undefined : 'simulated';
}
