/** The languages the shop speaks to its users. */
export type Language = 'ru' | 'en';

/**
 * The language of a Telegram `language_code` (an IETF tag such as `ru`, `ru-RU`, `en-US`):
 * Russian for Russian in any region, English for everyone else and for no code at all. The bot and every service that writes to a user decide with this.
 */
export function languageOf(languageCode: string | null | undefined): Language {
  return languageCode?.toLowerCase().split(/[-_]/)[0] === 'ru' ? 'ru' : 'en';
}

// Browsers send a handful of tags; anything longer is not worth parsing.
const MAX_ACCEPT_LANGUAGE_LENGTH = 512;

/**
 * The language an `Accept-Language` header asks for: the best of Russian and English by q-value,
 * then order (`*` means English); English when it names neither or is absent. The catalog's
 * answers and the storefront's pages decide with this.
 */
export function languageOfAcceptLanguage(header: string | undefined): Language {
  if (!header) return 'en';
  let best: Language = 'en';
  let bestQ = 0;
  for (const part of header.slice(0, MAX_ACCEPT_LANGUAGE_LENGTH).split(',')) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!(q > bestQ)) continue;
    const primary = tag.split('-')[0];
    const language = primary === '*' ? 'en' : primary === 'ru' || primary === 'en' ? primary : undefined;
    if (language) {
      best = language;
      bestQ = q;
    }
  }
  return best;
}

const localeOf: Record<Language, string> = { en: 'en-US', ru: 'ru-RU' };

// Telegram Stars have no minor unit: an XTR amount is a whole number of Stars; ICU does not know the code.
const minorDigitsOverride: Record<string, number> = { XTR: 0 };

/**
 * Integer minor units as money in `language`'s conventions: 123450 USD is "$1,234.50" in English
 * and "1 234,50 $" in Russian (the spaces are no-break spaces, so an amount never wraps across
 * lines). The currency's own number of minor digits is used (0 for JPY and XTR). The division
 * happens only for display; amounts are never computed in floating point.
 */
export function formatMoney(minorUnits: number, currency: string, language: Language): string {
  const { format, digits } = moneyFormat(language, currency);
  // ICU writes U+202F in some locales and versions, U+00A0 in others: one character everywhere.
  return format.format(minorUnits / 10 ** digits).replaceAll('\u202f', '\u00a0');
}

/** How many minor units digits `currency` has: 2 for USD, 0 for JPY and XTR. */
export const minorDigitsOf = (currency: string): number => moneyFormat('en', currency).digits;

// Building an Intl.NumberFormat costs far more than using one: one per language and currency.
const moneyFormats = new Map<string, { format: Intl.NumberFormat; digits: number }>();
function moneyFormat(language: Language, currency: string) {
  const key = `${language} ${currency}`;
  let entry = moneyFormats.get(key);
  if (!entry) {
    const override = minorDigitsOverride[currency];
    const format = new Intl.NumberFormat(localeOf[language], {
      style: 'currency',
      currency,
      ...(override === undefined ? {} : { minimumFractionDigits: override, maximumFractionDigits: override }),
    });
    entry = { format, digits: format.resolvedOptions().maximumFractionDigits ?? 2 };
    moneyFormats.set(key, entry);
  }
  return entry;
}
