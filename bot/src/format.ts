import { formatMoney, languageOf, type Language } from '@shop/shared';

/**
 * Minor units as a price in the chat's locale: 123450 USD -> "$1,234.50" / "1 234,50 $". The
 * formatter is shared with the services, so a price reads the same in the bot and in a receipt.
 */
export const money = (cents: number, currency: string, locale: string): string =>
  formatMoney(cents, currency, languageOf(locale));

const dateTimeFormats: Record<Language, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-US', {
    dateStyle: 'medium',
    timeStyle: 'short',
    hourCycle: 'h23',
    timeZone: 'UTC',
  }),
  ru: new Intl.DateTimeFormat('ru-RU', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }),
};

/**
 * A moment in the chat's locale, in UTC (the shop has no time zone of its own; the texts say
 * UTC): "Mar 15, 2026, 10:30" / "15 мар. 2026 г., 10:30".
 */
export const dateTime = (iso: string, locale: string): string =>
  dateTimeFormats[languageOf(locale)].format(new Date(iso));
