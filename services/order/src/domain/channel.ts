import { conflict, STARS_CURRENCY, type AppError, type OrderChannel } from '@shop/shared';

/**
 * Why an order priced in `currency` cannot be placed from `channel`, or undefined: Telegram Stars
 * are paid only inside Telegram, so a browser (`web`) cannot pay an order in them. Refused before
 * anything is reserved, rather than placed and left unpayable.
 */
export function channelRefusal(channel: OrderChannel | undefined, currency: string): AppError | undefined {
  if (channel !== 'web' || currency !== STARS_CURRENCY) return undefined;
  return conflict(
    'stars_need_telegram',
    'Items priced in Telegram Stars can be paid only inside Telegram: order them from the bot or the Mini App',
  );
}
