import { formatMoney, languageOf } from '@shop/shared';

/**
 * Minor units as a price in the chat's locale: 123450 USD -> "$1,234.50" / "1 234,50 $". The
 * formatter is shared with the services, so a price reads the same in the bot and in a receipt.
 */
export const money = (cents: number, currency: string, locale: string): string =>
  formatMoney(cents, currency, languageOf(locale));
