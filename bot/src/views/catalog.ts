import { InlineKeyboard } from 'grammy';
import {
  addToCartButton,
  buyButton,
  cardQuantityButton,
  cartButton,
  categoriesButton,
  categoryButton,
  listButton,
  productButton,
  type ProductList,
} from '../buttons.ts';
import type { Category, Product, ProductPage } from '../clients/catalog.ts';
import type { Translator } from '../context.ts';
import { money } from '../format.ts';
import type { MiniAppLinks } from '../mini-app.ts';
import { CAPTION_MAX, type View } from '../ui.ts';

export const PAGE_SIZE = 5;

export const pageCount = (page: ProductPage) => Math.max(1, Math.ceil(page.total / page.limit));

export function categoriesView(ctx: Translator, categories: Category[]): View {
  const keyboard = new InlineKeyboard();
  for (const category of categories)
    keyboard.text(category.name, categoryButton.build({ category: category.id, page: 1 })).row();
  return { text: ctx.t(categories.length === 0 ? 'catalog-empty' : 'catalog-title'), keyboard };
}

/**
 * One page of products as buttons, with previous / next and a Back button to the categories.
 * `list(n)` names page n of this list. Product buttons carry the page they were on, so Back on
 * the card returns to the same page.
 */
export function productListView(
  ctx: Translator,
  locale: string,
  page: ProductPage,
  options: { title: string; list: (page: number) => ProductList; backText: string },
): View {
  const pages = pageCount(page);
  const keyboard = new InlineKeyboard();
  for (const product of page.items) {
    const label = `${product.name} · ${money(product.priceCents, product.currency, locale)}`;
    keyboard.text(label, productButton.build({ product: product.id, back: options.list(page.page) })).row();
  }
  if (page.page > 1) keyboard.text(ctx.t('btn-prev'), listButton(options.list(page.page - 1)));
  if (page.page < pages) keyboard.text(ctx.t('btn-next'), listButton(options.list(page.page + 1)));
  keyboard.row().text(options.backText, categoriesButton.build());
  const text =
    page.total === 0 ? options.title : `${options.title}\n${ctx.t('page-of', { page: page.page, pages })}`;
  return { text, keyboard };
}

/** The most of one product a card offers: what is in stock, and at most an order's 100. */
export const cardMaximum = (product: Product) => Math.min(product.stock, 100);

/**
 * A product card with ➖ `quantity` ➕, Add to cart and Buy now for that quantity (when it is in
 * stock), Open in shop (its page in the storefront's Mini App, when there is one), Back to the
 * list it came from and the cart. With a photo the text is its caption,
 * which Telegram caps at CAPTION_MAX: a long description is shortened so that the price and the
 * stock always show.
 */
export function productView(
  ctx: Translator,
  locale: string,
  product: Product,
  back: ProductList,
  quantity = 1,
  miniApp?: MiniAppLinks,
): View {
  const card = (description: string) => {
    const lines = [
      product.name,
      '',
      description,
      '',
      ctx.t('product-price', { price: money(product.priceCents, product.currency, locale) }),
      product.stock > 0 ? ctx.t('product-stock', { stock: product.stock }) : ctx.t('product-out-of-stock'),
    ];
    return lines.filter((line, i) => line !== '' || lines[i - 1] !== '').join('\n');
  };
  let text = card(product.description);
  if (product.imageUrl && text.length > CAPTION_MAX) {
    // Two line breaks around the description and the ellipsis.
    const room = CAPTION_MAX - card('').length - 3;
    text = card(`${product.description.slice(0, Math.max(0, room)).trimEnd()}…`);
  }
  const keyboard = new InlineKeyboard();
  if (product.stock > 0) {
    const pick = (n: number) => cardQuantityButton.build({ product: product.id, quantity: n, back });
    keyboard
      .text('➖', pick(quantity - 1))
      .text(String(quantity), pick(quantity))
      .text('➕', pick(quantity + 1))
      .row()
      .text(ctx.t('btn-add-to-cart'), addToCartButton.build({ product: product.id, quantity }))
      .text(ctx.t('btn-buy-now'), buyButton.build({ product: product.id, quantity }))
      .row();
  }
  if (miniApp) keyboard.webApp(ctx.t('btn-open-in-shop'), miniApp.product(product.id)).row();
  keyboard.text(ctx.t('btn-back'), listButton(back)).text(ctx.t('menu-cart'), cartButton.build());
  return { text, keyboard };
}
