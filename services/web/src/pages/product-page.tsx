import type { Product } from '../clients/catalog.ts';
import { texts } from '../texts.ts';
import { catalogHref } from './catalog-page.tsx';
import { Layout, type PageFrame } from './layout.tsx';
import { Photo, Price, Stock } from './product-card.tsx';

/** `/products/:id`: one product with its photo, price, stock and description. */
export function ProductPage({ frame, product }: { frame: PageFrame; product: Product }) {
  const t = texts[frame.lang];
  return (
    <Layout {...frame} title={product.name}>
      <p class="back">
        <a href={catalogHref({ category: product.categoryId ?? undefined })}>{t.backToCatalog}</a>
      </p>
      <article class="product">
        <Photo product={product} lang={frame.lang} size={640} />
        <div class="details">
          <h1>{product.name}</h1>
          <Price product={product} lang={frame.lang} />
          <Stock product={product} lang={frame.lang} />
          {product.description && <p class="description">{product.description}</p>}
        </div>
      </article>
    </Layout>
  );
}
