import type { ProductList } from '../buttons.ts';
import type { ProductPage, ProductQuery } from '../clients/catalog.ts';
import { ServiceResponseError } from '../clients/http.ts';
import type { BotContext, Dependencies } from '../context.ts';
import { localeOf } from '../i18n.ts';
import { createProductPhotos } from '../photos.ts';
import { show } from '../ui.ts';
import {
  cardMaximum,
  categoriesView,
  pageCount,
  PAGE_SIZE,
  productListView,
  productView,
} from '../views/catalog.ts';

/** Each screen renders itself and returns a short notice for the button's answer, if any. */
export type Notice = string | undefined;

export async function categoriesScreen(ctx: BotContext, deps: Dependencies): Promise<Notice> {
  await show(ctx, categoriesView(ctx, await deps.catalog.categories(localeOf(ctx))));
  return undefined;
}

/** A page that no longer exists (products were removed) falls back to the last one; page 0 means the first. */
async function pageOrLast(deps: Dependencies, query: Omit<ProductQuery, 'limit'>, locale: string) {
  const first = await deps.catalog.products(
    { ...query, page: Math.max(1, query.page), limit: PAGE_SIZE },
    locale,
  );
  const last = pageCount(first);
  if (query.page <= last) return { page: first, moved: false };
  return {
    page: await deps.catalog.products({ ...query, page: last, limit: PAGE_SIZE }, locale),
    moved: true,
  };
}

export async function categoryScreen(
  ctx: BotContext,
  deps: Dependencies,
  category: string,
  page: number,
): Promise<Notice> {
  const locale = localeOf(ctx);
  let result: { page: ProductPage; moved: boolean };
  try {
    result = await pageOrLast(deps, { category, page }, locale);
  } catch (error) {
    if (!(error instanceof ServiceResponseError && error.status < 500)) throw error;
    await categoriesScreen(ctx, deps);
    return ctx.t('category-gone');
  }
  const view = productListView(ctx, locale, result.page, {
    title: result.page.total === 0 ? ctx.t('category-empty') : ctx.t('products-title'),
    list: (n) => ({ to: 'category', category, page: n }),
    backText: ctx.t('btn-back'),
  });
  await show(ctx, view);
  return result.moved ? ctx.t('page-gone') : undefined;
}

export async function searchScreen(ctx: BotContext, deps: Dependencies, page: number): Promise<Notice> {
  const q = ctx.session.search;
  if (q === undefined) return ctx.t('button-inactive');
  const locale = localeOf(ctx);
  const result = await pageOrLast(deps, { q, page }, locale);
  const title =
    result.page.total === 0
      ? ctx.t('search-nothing', { query: q })
      : ctx.t('search-title', { query: q, total: result.page.total });
  await show(
    ctx,
    productListView(ctx, locale, result.page, {
      title,
      list: (n) => ({ to: 'search', page: n }),
      backText: ctx.t('menu-catalog'),
    }),
  );
  return result.moved ? ctx.t('page-gone') : undefined;
}

/** Renders whichever list a Back button points at. */
export function listScreen(ctx: BotContext, deps: Dependencies, list: ProductList): Promise<Notice> {
  switch (list.to) {
    case 'categories':
      return categoriesScreen(ctx, deps);
    case 'category':
      return categoryScreen(ctx, deps, list.category, list.page);
    case 'search':
      return searchScreen(ctx, deps, list.page);
  }
}

/**
 * A product card at `quantity` (➖ / ➕). A quantity past the limits is refused with a notice: below
 * 1 without asking the catalog; above the stock or 100 the card is shown at the most it offers.
 */
export async function productScreen(
  ctx: BotContext,
  deps: Dependencies,
  id: string,
  back: ProductList,
  quantity = 1,
): Promise<Notice> {
  if (quantity < 1) return ctx.t('quantity-min');
  const locale = localeOf(ctx);
  const product = await deps.catalog.product(id, locale);
  if (!product) {
    await listScreen(ctx, deps, back);
    return ctx.t('product-gone');
  }
  const most = cardMaximum(product);
  const photo = createProductPhotos(deps)(product.imageUrl);
  await show(ctx, {
    ...productView(ctx, locale, product, back, Math.max(1, Math.min(quantity, most)), deps.miniApp),
    photo,
  });
  if (quantity <= most) return undefined;
  if (most < 1) return ctx.t('product-out-of-stock');
  return most < product.stock
    ? ctx.t('quantity-limit', { max: most })
    : ctx.t('quantity-max', { stock: most });
}
