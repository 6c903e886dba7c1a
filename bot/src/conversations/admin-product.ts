import {
  PRODUCT_DESCRIPTION_MAX,
  PRODUCT_NAME_MAX,
  productDescriptionSchema,
  productNameSchema,
  SHOP_CURRENCY,
} from '@shop/shared';
import { InlineKeyboard } from 'grammy';
import { asMerchant } from '../admin/actions.ts';
import { parsePrice, parseStock, parseText } from '../admin/inputs.ts';
import type { AdminCategory } from '../clients/catalog-admin.ts';
import type { ConvContext, Dependencies, ShopConversation } from '../context.ts';
import { localeOf } from '../i18n.ts';
import type { TelegramFiles } from '../telegram-files.ts';
import {
  ask,
  choiceReader,
  type Form,
  formButton,
  persist,
  type Reader,
  skipKeyboard,
  startForm,
  textReader,
} from './admin-form.ts';
import { askPhoto, savedProduct } from './admin-photo.ts';

export const nameReader = () => textReader((text) => parseText(productNameSchema, text, PRODUCT_NAME_MAX));
export const descriptionReader = () =>
  textReader((text) => parseText(productDescriptionSchema, text, PRODUCT_DESCRIPTION_MAX), '');

/** Buttons of every category, one a row, hidden ones marked. */
export const categoryChoices = (form: Form, categories: AdminCategory[]) => {
  const keyboard = new InlineKeyboard();
  for (const category of categories)
    keyboard
      .text(`${category.hidden ? '🙈 ' : ''}${category.name}`, formButton(form, Number(category.id)))
      .row();
  return keyboard;
};

/** A question, then its answer; `keyboard` under the question (a Skip button, choices). */
export async function step<T>(
  form: Form,
  at: ConvContext,
  question: string,
  read: Reader<T>,
  keyboard?: InlineKeyboard,
) {
  await at.reply(question, keyboard ? { reply_markup: keyboard } : {});
  return ask(form, read);
}

/**
 * A new product, step by step: category, name and description in English and Russian, price,
 * stock; then it is created (buyers see it at once), and its photo asked for last.
 */
export function adminNewProductConversation(deps: Dependencies, files: TelegramFiles) {
  return async function adminNewProduct(conversation: ShopConversation, ctx: ConvContext) {
    const form = await startForm(conversation, deps, ctx);
    if (!form) return;
    const locale = localeOf(ctx);
    const { ctx: first, outcome } = await persist(form, ctx, () =>
      asMerchant(deps, form.from, (token) => deps.catalog.admin.categories(token, locale)),
    );
    if (outcome.kind !== 'ok' || outcome.value.length === 0) {
      await first.reply(first.t('admin-need-category'));
      return;
    }
    const category = await step(
      form,
      first,
      first.t('admin-ask-category'),
      choiceReader,
      categoryChoices(form, outcome.value),
    );
    const nameEn = await step(form, category.ctx, category.ctx.t('admin-ask-name-en'), nameReader());
    const nameRu = await step(form, nameEn.ctx, nameEn.ctx.t('admin-ask-name-ru'), nameReader());
    const skip = (at: ConvContext) => skipKeyboard(form, at.t('admin-btn-skip'));
    const descriptionEn = await step(
      form,
      nameRu.ctx,
      nameRu.ctx.t('admin-ask-description-en'),
      descriptionReader(),
      skip(nameRu.ctx),
    );
    const descriptionRu = await step(
      form,
      descriptionEn.ctx,
      descriptionEn.ctx.t('admin-ask-description-ru'),
      descriptionReader(),
      skip(descriptionEn.ctx),
    );
    const price = await step(
      form,
      descriptionRu.ctx,
      descriptionRu.ctx.t('admin-ask-price', { currency: SHOP_CURRENCY }),
      textReader((text) => parsePrice(text, SHOP_CURRENCY)),
    );
    const stock = await step(form, price.ctx, price.ctx.t('admin-ask-stock'), textReader(parseStock));

    const created = await persist(form, stock.ctx, () =>
      asMerchant(deps, form.from, (token) =>
        deps.catalog.admin.createProduct(token, {
          categoryId: category.value,
          name: { en: nameEn.value, ru: nameRu.value },
          description: { en: descriptionEn.value, ru: descriptionRu.value },
          priceCents: price.value,
          stock: stock.value,
        }),
      ),
    );
    if (created.outcome.kind !== 'ok') {
      deps.logger.warn({ outcome: created.outcome }, 'the catalog refused a new product');
      await created.ctx.reply(created.ctx.t('admin-create-refused'));
      return;
    }
    const id = created.outcome.value;
    await created.ctx.reply(created.ctx.t('admin-ask-photo', { id }), {
      reply_markup: skipKeyboard(form, created.ctx.t('admin-btn-skip')),
    });
    const photo = await askPhoto(form, files, id, true);
    await savedProduct(photo.ctx, 'admin-product-created', id);
  };
}
