import type { z } from '@hono/zod-openapi';
import { validationError } from '@shop/shared';
import type { Context } from 'hono';

const MAX_REMEMBERED = 1_000;

/**
 * Validates a cached read's query string with its zod schema, remembering each valid result by
 * the raw query string. A busy catalog sees the same few URLs over and over, and parsing them
 * cost more than the whole cache hit. Invalid input is never remembered and gets the usual 400.
 * Results are frozen because every request with that query shares them.
 */
export function memoizedQuery<T extends z.ZodType>(schema: T): (c: Context) => Readonly<z.output<T>> {
  const remembered = new Map<string, Readonly<z.output<T>>>();
  return (c) => {
    const url = c.req.url;
    const at = url.indexOf('?');
    const raw = at < 0 ? '' : url.slice(at + 1);
    const known = remembered.get(raw);
    if (known !== undefined) return known;
    const result = schema.safeParse(c.req.query());
    if (!result.success) throw validationError(result.error, 'query');
    if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value ?? '');
    const value = Object.freeze(result.data);
    remembered.set(raw, value);
    return value;
  };
}
