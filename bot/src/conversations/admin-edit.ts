import { InlineKeyboard } from 'grammy';
import type { ProductField } from '../admin/buttons.ts';
import { asMerchant, type Outcome } from '../admin/actions.ts';
import { parsePrice, parseStock, parseStockChange, type Parsed } from '../admin/inputs.ts';
import type { AdminProduct, ProductPatch } from '../clients/catalog-admin.ts';
import type { ConvContext, Dependencies, ShopConversation } from '../context.ts';
import { money } from '../format.ts';
import { localeOf } from '../i18n.ts';
import type { TelegramFiles } from '../telegram-files.ts';
import {
  ask,
  choiceReader,
  type Form,
  persist,
  type Reader,
  skipKeyboard,
  startForm,
  textReader,
} from './admin-form.ts';
import { askPhoto, savedProduct } from './admin-photo.ts';
import { categoryChoices, descriptionReader, nameReader } from './admin-product.ts';

export interface ProductEdit {
  product: string;
  field: ProductField;
}

/** What a field's step asks, reads and saves. */
interface FieldStep {
  question: string;
  read: Reader<ProductPatch>;
  keyboard?: InlineKeyboard;
}

const patchOf =
  <T>(read: Reader<T>, patch: (value: T) => ProductPatch): Reader<ProductPatch> =>
  (ctx, choice) => {
    const parsed: Parsed<T> = read(ctx, choice);
    return 'value' in parsed ? { value: patch(parsed.value) } : parsed;
  };

async function stepOf(
  form: Form,
  ctx: ConvContext,
  field: Exclude<ProductField, 'photo'>,
  product: AdminProduct,
): Promise<FieldStep> {
  const locale = localeOf(ctx);
  const ask = (key: string, current: string) =>
    ctx.t('admin-ask-edit', { field: ctx.t(`admin-field-${key}`), current });
  const none = ctx.t('admin-none');
  switch (field) {
    case 'nameEn':
    case 'nameRu': {
      const lang = field === 'nameEn' ? 'en' : 'ru';
      return {
        question: ask(field, product.names[lang]),
        read: patchOf(nameReader(), (name) => ({ name: { [lang]: name } })),
      };
    }
    case 'descriptionEn':
    case 'descriptionRu': {
      const lang = field === 'descriptionEn' ? 'en' : 'ru';
      return {
        question: ask(field, product.descriptions[lang] || none),
        read: patchOf(descriptionReader(), (description) => ({ description: { [lang]: description } })),
        keyboard: skipKeyboard(form, ctx.t('admin-btn-clear')),
      };
    }
    case 'price':
      return {
        question: ask('price', money(product.priceCents, product.currency, locale)),
        read: patchOf(
          textReader((text) => parsePrice(text, product.currency)),
          (priceCents) => ({ priceCents }),
        ),
      };
    case 'stockSet':
      return {
        question: ask('stock', String(product.stock)),
        read: patchOf(textReader(parseStock), (stock) => ({ stock })),
      };
    case 'stockAdd':
      return {
        question: ctx.t('admin-ask-stock-add', { current: product.stock }),
        read: patchOf(textReader(parseStockChange), (addStock) => ({ addStock })),
      };
    case 'category': {
      const categories = await persist(form, ctx, () =>
        asMerchant(form.deps, form.from, (token) => form.deps.catalog.admin.categories(token, locale)),
      );
      const list = categories.outcome.kind === 'ok' ? categories.outcome.value : [];
      return {
        question: ctx.t('admin-ask-category'),
        read: patchOf(choiceReader, (categoryId) => ({ categoryId })),
        keyboard: categoryChoices(form, list),
      };
    }
  }
}

/** Why the catalog refused a patch, as the merchant is told it; the step is asked again. */
const refusals: Record<string, string> = {
  insufficient_stock: 'admin-stock-below-zero',
  stock_too_large: 'admin-stock-too-large',
  unknown_category: 'admin-category-gone',
};

/** One field of a product: asked with its current value, checked, saved; the photo through askPhoto. */
export function adminEditProductConversation(deps: Dependencies, files: TelegramFiles) {
  return async function adminEditProduct(
    conversation: ShopConversation,
    ctx: ConvContext,
    edit: ProductEdit,
  ) {
    const form = await startForm(conversation, deps, ctx);
    if (!form) return;
    const locale = localeOf(ctx);
    const loaded = await persist(form, ctx, () =>
      asMerchant(deps, form.from, (token) => deps.catalog.admin.product(token, edit.product, locale)),
    );
    if (loaded.outcome.kind !== 'ok') {
      await loaded.ctx.reply(loaded.ctx.t('product-gone'));
      return;
    }
    if (edit.field === 'photo') {
      await loaded.ctx.reply(loaded.ctx.t('admin-ask-photo-edit'));
      const photo = await askPhoto(form, files, edit.product, false);
      if ('gone' in photo) await photo.ctx.reply(photo.ctx.t('product-gone'));
      else await savedProduct(photo.ctx, 'admin-saved', edit.product);
      return;
    }
    const field = await stepOf(form, loaded.ctx, edit.field, loaded.outcome.value);
    await loaded.ctx.reply(field.question, field.keyboard ? { reply_markup: field.keyboard } : {});
    for (;;) {
      const answer = await ask(form, field.read);
      const saved: { ctx: ConvContext; outcome: Exclude<Outcome<true>, { kind: 'down' | 'not-admin' }> } =
        await persist(form, answer.ctx, () =>
          asMerchant(deps, form.from, (token) =>
            deps.catalog.admin.updateProduct(token, edit.product, answer.value),
          ),
        );
      const { outcome } = saved;
      if (outcome.kind === 'ok') return savedProduct(saved.ctx, 'admin-saved', edit.product);
      if (outcome.kind === 'gone') return saved.ctx.reply(saved.ctx.t('product-gone'));
      const refusal = refusals[outcome.code];
      if (!refusal) {
        deps.logger.warn({ outcome }, 'the catalog refused a product edit');
        return saved.ctx.reply(saved.ctx.t('admin-save-refused'));
      }
      await saved.ctx.reply(saved.ctx.t(refusal));
    }
  };
}
