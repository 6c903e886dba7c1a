import type { CatalogQuery } from '../pages/catalog-page.tsx';

/** The catalog's ids are PostgreSQL int4. */
const MAX_ID = 2_147_483_647;
/** The catalog's deepest page and longest search. */
const MAX_PAGE = 100_000;
const MAX_QUERY_LENGTH = 200;

const positive = (raw: string | undefined, max: number): number | undefined => {
  if (raw === undefined || !/^\d{1,10}$/.test(raw)) return undefined;
  const value = Number(raw);
  return value >= 1 && value <= max ? value : undefined;
};

/**
 * A product's or an order's id (or a page number) from a path or query, or undefined when it
 * cannot be one (a 404, never asked).
 */
export const idOf = (raw: string): number | undefined => positive(raw, MAX_ID);

/**
 * The catalog page's query as the catalog takes it. A page is an address anyone can type: a
 * parameter the catalog would refuse is dropped (or cut to length), never an error.
 */
export function catalogQueryOf(query: (name: string) => string | undefined): CatalogQuery {
  const q = query('q')?.replaceAll('\u0000', '').trim().slice(0, MAX_QUERY_LENGTH);
  return {
    category: positive(query('category'), MAX_ID),
    q: q || undefined,
    page: positive(query('page'), MAX_PAGE) ?? 1,
  };
}
