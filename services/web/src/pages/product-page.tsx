import { formatMoney } from '@shop/shared';
import type { Product } from '../clients/catalog.ts';
import { texts } from '../texts.ts';
import { catalogHref } from './catalog-page.tsx';
import { Layout, type PageFrame } from './layout.tsx';
import { Photo, Price, Stock } from './product-card.tsx';

/** `/products/:id`: one product with its photo, price, stock, description and the add-to-cart form. */
export function ProductPage({ frame, product }: { frame: PageFrame; product: Product }) {
  const t = texts[frame.lang];
  return (
    <Layout {...frame} title={product.name} back={catalogHref({ category: product.categoryId ?? undefined })}>
      <p class="back">
        <a href={catalogHref({ category: product.categoryId ?? undefined })}>{t.backToCatalog}</a>
      </p>
      <article class="product">
        <Photo product={product} lang={frame.lang} size={640} first />
        <div class="details">
          <h1>{product.name}</h1>
          <Price product={product} lang={frame.lang} />
          <Stock product={product} lang={frame.lang} />
          {product.stock > 0 && (
            <form class="row" method="post" action={`/cart/items/${product.id}`}>
              <input type="hidden" name="op" value="add" />
              <label>
                {t.quantity}{' '}
                <input
                  type="number"
                  name="quantity"
                  value="1"
                  min={1}
                  max={Math.min(product.stock, 100)}
                  required
                />
              </label>
              <button
                type="submit"
                data-main-button={t.addToCartFor(
                  formatMoney(product.priceCents, product.currency, frame.lang),
                )}
              >
                {t.addToCart}
              </button>
            </form>
          )}
          {product.description && <p class="description">{product.description}</p>}
        </div>
      </article>
    </Layout>
  );
}
