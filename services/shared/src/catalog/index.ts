import { z } from 'zod';

/** One currency for the whole shop, so an order's total is a plain sum: a new product's unless it names one. */
export const SHOP_CURRENCY = 'USD';

/** Longest product and category name, and product description, in characters after trimming. */
export const PRODUCT_NAME_MAX = 200;
export const PRODUCT_DESCRIPTION_MAX = 2_000;
export const CATEGORY_NAME_MAX = 200;
/** Prices, stock and ids are PostgreSQL `int4` in the catalog: nothing larger fits. */
export const CATALOG_INT_MAX = 2_147_483_647;

/** PostgreSQL text cannot hold U+0000: such input is refused at the edge, not left to fail a query. */
export const hasNoNul = (text: string): boolean => !text.includes('\u0000');
const text = () => z.string().refine(hasNoNul, 'must not contain NUL characters').trim();

/**
 * The catalog's rules for what a merchant writes: the catalog enforces them and the bot checks
 * them before it asks again, so the merchant hears about a mistake in the chat first.
 */
export const productNameSchema = text().min(1, 'must not be empty').max(PRODUCT_NAME_MAX);
export const productDescriptionSchema = text().max(PRODUCT_DESCRIPTION_MAX);
export const categoryNameSchema = text().min(1, 'must not be empty').max(CATEGORY_NAME_MAX);
