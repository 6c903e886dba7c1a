import type { Category, ProductPage } from '../clients/catalog.ts';
import { texts } from '../texts.ts';
import { Layout, type PageFrame } from './layout.tsx';
import { ProductCard } from './product-card.tsx';

/** Cards in the grid's top row on a phone: their photos are seen as the page opens. */
const FIRST_ROW = 2;

/** What the buyer asked the catalog page for: `?category=`, `?q=`, `?page=`. */
export interface CatalogQuery {
  category?: number;
  q?: string;
  page: number;
}

/** The catalog page's own address for `query`, with the others of its parameters kept. */
export function catalogHref(query: Partial<CatalogQuery>): string {
  const params = new URLSearchParams();
  if (query.category !== undefined) params.set('category', String(query.category));
  if (query.q) params.set('q', query.q);
  if (query.page !== undefined && query.page > 1) params.set('page', String(query.page));
  const search = params.toString();
  return search ? `/?${search}` : '/';
}

export interface CatalogPageProps {
  frame: PageFrame;
  categories: Category[];
  products: ProductPage;
  query: CatalogQuery;
}

/** `/`: the categories, the search, and one page of the products they select. */
export function CatalogPage({ frame, categories, products, query }: CatalogPageProps) {
  const t = texts[frame.lang];
  const chosen = categories.find((category) => category.id === query.category);
  const pages = Math.max(1, Math.ceil(products.total / products.limit));
  const title = chosen?.name ?? t.catalog;
  return (
    <Layout {...frame} title={title} back={query.category || query.q || query.page > 1 ? '/' : undefined}>
      <form class="search" method="get" action="/" role="search">
        {query.category !== undefined && (
          <input type="hidden" name="category" value={String(query.category)} />
        )}
        <input type="search" name="q" value={query.q ?? ''} aria-label={t.searchLabel} maxlength={200} />
        <button type="submit">{t.search}</button>
      </form>
      <nav class="categories" aria-label={t.categories}>
        <a href={catalogHref({ q: query.q })} aria-current={chosen ? undefined : 'page'}>
          {t.allProducts}
        </a>
        {categories.map((category) => (
          <a
            href={catalogHref({ category: category.id, q: query.q })}
            aria-current={category.id === chosen?.id ? 'page' : undefined}
          >
            {category.name} <span class="count">{category.productCount}</span>
          </a>
        ))}
      </nav>
      <h1>{title}</h1>
      {products.items.length === 0 ? (
        <p class="empty">{query.q ? t.nothingFound(query.q) : t.noProducts}</p>
      ) : (
        <ul class="grid">
          {products.items.map((product, index) => (
            <ProductCard product={product} lang={frame.lang} first={index < FIRST_ROW} />
          ))}
        </ul>
      )}
      {pages > 1 && (
        <nav class="pages" aria-label={t.pages}>
          {query.page > 1 && (
            <a rel="prev" href={catalogHref({ ...query, page: query.page - 1 })}>
              {t.previous}
            </a>
          )}
          <span>{t.pageOf(query.page, pages)}</span>
          {query.page < pages && (
            <a rel="next" href={catalogHref({ ...query, page: query.page + 1 })}>
              {t.next}
            </a>
          )}
        </nav>
      )}
    </Layout>
  );
}
