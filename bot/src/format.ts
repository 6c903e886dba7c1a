const formats = new Map<string, Intl.NumberFormat>();

/** Minor units to a price in the user's locale: 123450 USD -> "$1,234.50" / "1 234,50 $". */
export function money(cents: number, currency: string, locale: string): string {
  const tag = locale === 'ru' ? 'ru-RU' : 'en-US';
  let format = formats.get(`${tag}:${currency}`);
  if (!format) {
    format = new Intl.NumberFormat(tag, { style: 'currency', currency });
    formats.set(`${tag}:${currency}`, format);
  }
  // Intl puts narrow no-break spaces in; plain ones read the same and keep tests legible.
  return format.format(cents / 100).replace(/[\u00a0\u202f]/g, ' ');
}
