import { CATALOG_INT_MAX, minorDigitsOf } from '@shop/shared';
import type { z } from 'zod';

/** A value the merchant typed, or the locale key (and its variables) of what is wrong with it. */
export type Parsed<T> = { value: T } | { problem: string; args?: Record<string, string | number> };

/** Text checked by one of the catalog's rules (productNameSchema, …), so the catalog accepts it. */
export function parseText(schema: z.ZodType<string>, text: string, max: number): Parsed<string> {
  const parsed = schema.safeParse(text);
  if (parsed.success) return { value: parsed.data };
  const issue = parsed.error.issues[0];
  if (issue?.code === 'too_big')
    return { problem: 'admin-text-too-long', args: { max, length: text.trim().length } };
  if (issue?.code === 'too_small') return { problem: 'admin-text-empty' };
  return { problem: 'admin-text-invalid' };
}

/** A price as people write it, `12`, `12.50` or `12,50`, in minor units of `currency`. */
export function parsePrice(text: string, currency: string): Parsed<number> {
  const match = /^\s*(-)?\s*(\d{1,12})(?:[.,](\d+))?\s*$/.exec(text);
  if (!match) return { problem: 'admin-price-invalid' };
  const [, minus, whole = '0', fraction = ''] = match;
  if (minus) return { problem: 'admin-price-negative' };
  const digits = minorDigitsOf(currency);
  if (fraction.length > digits) return { problem: 'admin-price-precision', args: { digits } };
  const cents = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  if (cents === 0) return { problem: 'admin-price-negative' };
  if (cents > CATALOG_INT_MAX) return { problem: 'admin-price-too-large' };
  return { value: cents };
}

/** How many can be bought from now on: a whole number, 0 or more. */
export function parseStock(text: string): Parsed<number> {
  const match = /^\s*(-)?(\d{1,10})\s*$/.exec(text);
  if (!match) return { problem: 'admin-stock-invalid' };
  if (match[1]) return { problem: 'admin-stock-negative' };
  const stock = Number(match[2]);
  return stock > CATALOG_INT_MAX ? { problem: 'admin-stock-too-large' } : { value: stock };
}

/** Units to add (`5`, `+5`) or take away (`-2`): a whole number other than 0. */
export function parseStockChange(text: string): Parsed<number> {
  const match = /^\s*([+-]?)\s*(\d{1,10})\s*$/.exec(text);
  if (!match) return { problem: 'admin-stock-invalid' };
  const change = Number(match[2]) * (match[1] === '-' ? -1 : 1);
  if (change === 0) return { problem: 'admin-stock-change-zero' };
  return Math.abs(change) > CATALOG_INT_MAX ? { problem: 'admin-stock-too-large' } : { value: change };
}
