import { InlineKeyboard } from 'grammy';
import {
  adminCategoriesButton,
  adminCategoryActionButton,
  adminCategoryButton,
  adminCategoryRenameButton,
  adminMenuButton,
  adminNewCategoryButton,
  adminNewProductButton,
  adminProductButton,
  adminProductEditButton,
  adminProductVisibilityButton,
} from '../admin/buttons.ts';
import type { AdminCategory, AdminProduct, AdminProductPage } from '../clients/catalog-admin.ts';
import type { Translator } from '../context.ts';
import { money } from '../format.ts';
import { CAPTION_MAX, type View } from '../ui.ts';

export const ADMIN_PAGE_SIZE = 8;
/** How much of each description the card shows; the edit step shows it whole. */
const DESCRIPTION_PREVIEW = 200;

const hiddenMark = (hidden: boolean) => (hidden ? '🙈 ' : '');
const clip = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;

/** Every category in the order buyers see them, hidden ones marked, and what can be added. */
export function adminCategoriesView(ctx: Translator, categories: AdminCategory[]): View {
  const keyboard = new InlineKeyboard();
  for (const category of categories) {
    const label = `${hiddenMark(category.hidden)}${category.name} · ${category.productCount}`;
    keyboard.text(label, adminCategoryButton.build({ category: category.id, page: 1 })).row();
  }
  keyboard
    .text(ctx.t('admin-btn-new-category'), adminNewCategoryButton.build())
    .text(ctx.t('admin-btn-new-product'), adminNewProductButton.build())
    .row()
    .text(ctx.t('btn-back'), adminMenuButton.build());
  return { text: ctx.t(categories.length === 0 ? 'admin-catalog-empty' : 'admin-catalog'), keyboard };
}

/** One category: both names, a page of its products (hidden ones marked), and its actions. */
export function adminCategoryView(
  ctx: Translator,
  locale: string,
  category: AdminCategory,
  page: AdminProductPage,
  place: { first: boolean; last: boolean },
): View {
  const pages = Math.max(1, Math.ceil(page.total / page.limit));
  const keyboard = new InlineKeyboard();
  for (const product of page.items) {
    const label = `${hiddenMark(product.hidden)}${product.name} · ${money(product.priceCents, product.currency, locale)} · ${product.stock}`;
    keyboard.text(label, adminProductButton.build({ product: product.id })).row();
  }
  const at = (n: number) => adminCategoryButton.build({ category: category.id, page: n });
  if (page.page > 1) keyboard.text(ctx.t('btn-prev'), at(page.page - 1));
  if (page.page < pages) keyboard.text(ctx.t('btn-next'), at(page.page + 1));
  const action = (name: 'up' | 'down' | 'hide' | 'show') =>
    adminCategoryActionButton.build({ category: category.id, action: name });
  keyboard
    .row()
    .text(ctx.t('admin-btn-name-en'), adminCategoryRenameButton.build({ category: category.id, lang: 'en' }))
    .text(ctx.t('admin-btn-name-ru'), adminCategoryRenameButton.build({ category: category.id, lang: 'ru' }))
    .row();
  if (!place.first) keyboard.text(ctx.t('admin-btn-up'), action('up'));
  if (!place.last) keyboard.text(ctx.t('admin-btn-down'), action('down'));
  keyboard
    .text(
      ctx.t(category.hidden ? 'admin-btn-show' : 'admin-btn-hide'),
      action(category.hidden ? 'show' : 'hide'),
    )
    .row()
    .text(ctx.t('btn-back'), adminCategoriesButton.build());
  const text = [
    ctx.t('admin-category-title', { en: category.names.en, ru: category.names.ru }),
    ctx.t(category.hidden ? 'admin-hidden' : 'admin-visible'),
    page.total === 0 ? ctx.t('admin-category-empty') : ctx.t('page-of', { page: page.page, pages }),
  ].join('\n');
  return { text, keyboard };
}

/** A product as the merchant edits it: every field in both languages, and a button per field. */
export function adminProductView(
  ctx: Translator,
  locale: string,
  product: AdminProduct,
  categoryName: string | undefined,
): View {
  const field = (key: string, value: string) => `${ctx.t(key)}: ${value}`;
  const none = ctx.t('admin-none');
  const lines = [
    ctx.t('admin-product-title', { id: product.id }),
    ctx.t(product.hidden ? 'admin-hidden' : 'admin-visible'),
    '',
    field('admin-field-nameEn', product.names.en),
    field('admin-field-nameRu', product.names.ru),
    field('admin-field-descriptionEn', clip(product.descriptions.en, DESCRIPTION_PREVIEW) || none),
    field('admin-field-descriptionRu', clip(product.descriptions.ru, DESCRIPTION_PREVIEW) || none),
    field('admin-field-price', money(product.priceCents, product.currency, locale)),
    field('admin-field-stock', String(product.stock)),
    field('admin-field-category', categoryName ?? product.categoryId ?? none),
    field('admin-field-photo', ctx.t(product.imageUrl ? 'admin-photo-yes' : 'admin-photo-no')),
  ];
  const edit = (name: Parameters<typeof adminProductEditButton.build>[0]['field']) =>
    adminProductEditButton.build({ product: product.id, field: name });
  const keyboard = new InlineKeyboard()
    .text(ctx.t('admin-btn-name-en'), edit('nameEn'))
    .text(ctx.t('admin-btn-name-ru'), edit('nameRu'))
    .row()
    .text(ctx.t('admin-btn-description-en'), edit('descriptionEn'))
    .text(ctx.t('admin-btn-description-ru'), edit('descriptionRu'))
    .row()
    .text(ctx.t('admin-btn-price'), edit('price'))
    .text(ctx.t('admin-btn-category'), edit('category'))
    .row()
    .text(ctx.t('admin-btn-stock-set'), edit('stockSet'))
    .text(ctx.t('admin-btn-stock-add'), edit('stockAdd'))
    .row()
    .text(ctx.t('admin-btn-photo'), edit('photo'))
    .text(
      ctx.t(product.hidden ? 'admin-btn-show' : 'admin-btn-hide'),
      adminProductVisibilityButton.build({ product: product.id, action: product.hidden ? 'show' : 'hide' }),
    )
    .row();
  if (product.categoryId)
    keyboard.text(ctx.t('btn-back'), adminCategoryButton.build({ category: product.categoryId, page: 1 }));
  return { text: clip(lines.join('\n'), CAPTION_MAX), keyboard };
}
