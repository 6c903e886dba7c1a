import { formatMoney, type Language } from '@shop/shared';
import type { Product } from '../clients/catalog.ts';
import { texts } from '../texts.ts';

/**
 * A product photo from this origin (the catalog's path, served here), or a placeholder. A photo
 * seen as the page opens (`first`: the product's own, the catalog's first cards) is fetched at
 * once and ahead of the rest; any other only when scrolled near.
 */
export function Photo(props: { product: Product; lang: Language; size: number; first?: boolean }) {
  const { product, lang, size, first = false } = props;
  if (product.imageUrl === null) return <div class="no-photo">{texts[lang].noPhoto}</div>;
  // The name is next to it (the card's heading, the page's title): the picture adds no words.
  return (
    <img
      src={product.imageUrl}
      alt=""
      width={size}
      height={size}
      loading={first ? 'eager' : 'lazy'}
      fetchpriority={first ? 'high' : 'auto'}
      decoding="async"
    />
  );
}

export const Price = ({ product, lang }: { product: Product; lang: Language }) => (
  <p class="price">{formatMoney(product.priceCents, product.currency, lang)}</p>
);

export const Stock = ({ product, lang }: { product: Product; lang: Language }) => (
  <p class={product.stock > 0 ? 'stock' : 'stock out'}>
    {product.stock > 0 ? texts[lang].inStock(product.stock) : texts[lang].outOfStock}
  </p>
);

/** One product in the catalog's grid, linking to its page; `first` when in the top row. */
export const ProductCard = (props: { product: Product; lang: Language; first?: boolean }) => {
  const { product, lang, first } = props;
  return (
    <li class="card">
      <a href={`/products/${product.id}`}>
        <Photo product={product} lang={lang} size={320} first={first} />
        <h2>{product.name}</h2>
      </a>
      <Price product={product} lang={lang} />
      <Stock product={product} lang={lang} />
    </li>
  );
};
