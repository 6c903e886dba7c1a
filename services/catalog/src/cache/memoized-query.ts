import type { z } from '@hono/zod-openapi';
import { validationError } from '@shop/shared';
import type { Context } from 'hono';

const MAX_REMEMBERED = 1_000;

export interface MemoizedQuery<T> {
  /** The validated query of a request; a 400 when it is invalid. */
  (c: Context): Readonly<T>;
  /** The validated query of a raw query string seen before, without parsing anything. */
  known(raw: string): Readonly<T> | undefined;
}

/**
 * Validates a cached read's query string with its zod schema, remembering each valid result by
 * the raw query string. A busy catalog sees the same few URLs over and over, and parsing them
 * cost more than the whole cache hit. Invalid input is never remembered and gets the usual 400.
 * Results are frozen because every request with that query shares them.
 */
export function memoizedQuery<T extends z.ZodType>(schema: T): MemoizedQuery<z.output<T>> {
  const remembered = new Map<string, Readonly<z.output<T>>>();
  const known = (raw: string) => remembered.get(raw);
  const validated = (c: Context) => {
    const url = c.req.url;
    const at = url.indexOf('?');
    const raw = at < 0 ? '' : url.slice(at + 1);
    const found = remembered.get(raw);
    if (found !== undefined) return found;
    const result = schema.safeParse(c.req.query());
    if (!result.success) throw validationError(result.error, 'query');
    if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value ?? '');
    const value = Object.freeze(result.data);
    remembered.set(raw, value);
    return value;
  };
  return Object.assign(validated, { known });
}
