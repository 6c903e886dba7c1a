import { CATEGORY_NAME_MAX, categoryNameSchema } from '@shop/shared';
import { InlineKeyboard } from 'grammy';
import { adminCategoriesButton, adminCategoryButton } from '../admin/buttons.ts';
import { asMerchant } from '../admin/actions.ts';
import { parseText } from '../admin/inputs.ts';
import type { ConvContext, Dependencies, ShopConversation } from '../context.ts';
import { persist, startForm, textReader } from './admin-form.ts';
import { step } from './admin-product.ts';

const categoryNameReader = () => textReader((text) => parseText(categoryNameSchema, text, CATEGORY_NAME_MAX));

/** A new category: its English and Russian names; it comes last in the order. */
export function adminNewCategoryConversation(deps: Dependencies) {
  return async function adminNewCategory(conversation: ShopConversation, ctx: ConvContext) {
    const form = await startForm(conversation, deps, ctx);
    if (!form) return;
    const en = await step(form, ctx, ctx.t('admin-ask-category-en'), categoryNameReader());
    const ru = await step(form, en.ctx, en.ctx.t('admin-ask-category-ru'), categoryNameReader());
    const created = await persist(form, ru.ctx, () =>
      asMerchant(deps, form.from, (token) =>
        deps.catalog.admin.createCategory(token, { en: en.value, ru: ru.value }),
      ),
    );
    const at = created.ctx;
    if (created.outcome.kind !== 'ok') {
      deps.logger.warn({ outcome: created.outcome }, 'the catalog refused a new category');
      await at.reply(at.t('admin-save-refused'));
      return;
    }
    await at.reply(at.t('admin-category-created', { name: en.value }), {
      reply_markup: new InlineKeyboard()
        .text(
          at.t('admin-btn-open-category'),
          adminCategoryButton.build({ category: created.outcome.value, page: 1 }),
        )
        .text(at.t('admin-menu-catalog'), adminCategoriesButton.build()),
    });
  };
}

export interface CategoryRename {
  category: string;
  lang: 'en' | 'ru';
}

/** A category's name in one language. */
export function adminRenameCategoryConversation(deps: Dependencies) {
  return async function adminRenameCategory(
    conversation: ShopConversation,
    ctx: ConvContext,
    rename: CategoryRename,
  ) {
    const form = await startForm(conversation, deps, ctx);
    if (!form) return;
    const locale = ctx.t('admin-field-name' + (rename.lang === 'en' ? 'En' : 'Ru'));
    const loaded = await persist(form, ctx, () =>
      asMerchant(deps, form.from, (token) =>
        deps.catalog.admin.category(token, rename.category, rename.lang),
      ),
    );
    if (loaded.outcome.kind !== 'ok') {
      await loaded.ctx.reply(loaded.ctx.t('category-gone'));
      return;
    }
    const current = loaded.outcome.value.names[rename.lang];
    const name = await step(
      form,
      loaded.ctx,
      loaded.ctx.t('admin-ask-edit', { field: locale, current }),
      categoryNameReader(),
    );
    const saved = await persist(form, name.ctx, () =>
      asMerchant(deps, form.from, (token) =>
        deps.catalog.admin.updateCategory(token, rename.category, { name: { [rename.lang]: name.value } }),
      ),
    );
    const at: ConvContext = saved.ctx;
    if (saved.outcome.kind === 'gone') {
      await at.reply(at.t('category-gone'));
      return;
    }
    if (saved.outcome.kind !== 'ok') {
      await at.reply(at.t('admin-save-refused'));
      return;
    }
    await at.reply(at.t('admin-saved'), {
      reply_markup: new InlineKeyboard().text(
        at.t('admin-btn-open-category'),
        adminCategoryButton.build({ category: rename.category, page: 1 }),
      ),
    });
  };
}
