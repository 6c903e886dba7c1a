import { Composer } from 'grammy';
import {
  adminCategoriesButton,
  adminCategoryActionButton,
  adminCategoryButton,
  adminCategoryRenameButton,
  adminNewCategoryButton,
  adminNewProductButton,
  adminProductButton,
  adminProductEditButton,
  adminProductVisibilityButton,
} from '../admin/buttons.ts';
import { pressAsMerchant } from '../admin/actions.ts';
import { onPress } from '../buttons.ts';
import type { BotContext, Dependencies } from '../context.ts';
import type { CategoryRename } from '../conversations/admin-category.ts';
import type { ProductEdit } from '../conversations/admin-edit.ts';
import { localeOf } from '../i18n.ts';
import { createProductPhotos } from '../photos.ts';
import { answer, show } from '../ui.ts';
import {
  ADMIN_PAGE_SIZE,
  adminCategoriesView,
  adminCategoryView,
  adminProductView,
} from '../views/admin-catalog.ts';

type Notice = string | undefined;

/**
 * The catalog as the merchant runs it: categories (order, names, hidden), their products, a
 * product card per product; the forms (new product, new category, one field) are conversations.
 */
export function adminCatalogFeature(deps: Dependencies) {
  const feature = new Composer<BotContext>();
  const photos = createProductPhotos(deps);

  const merchant = <T>(ctx: BotContext, fn: (token: string) => Promise<T | undefined>) =>
    pressAsMerchant(deps, ctx, fn);

  async function categoriesScreen(ctx: BotContext, notice?: Notice) {
    const locale = localeOf(ctx);
    const loaded = await merchant(ctx, (token) => deps.catalog.admin.categories(token, locale));
    if (loaded?.kind !== 'ok') return;
    await show(ctx, adminCategoriesView(ctx, loaded.value));
    await answer(ctx, notice, notice !== undefined);
  }

  async function categoryScreen(ctx: BotContext, category: string, page: number, notice?: Notice) {
    const locale = localeOf(ctx);
    const loaded = await merchant(ctx, async (token) => {
      const all = await deps.catalog.admin.categories(token, locale);
      const index = all.findIndex((each) => each.id === category);
      const products = await deps.catalog.admin.products(
        token,
        { category, page, limit: ADMIN_PAGE_SIZE },
        locale,
      );
      const found = all[index];
      if (!found || !products) return undefined;
      return { category: found, products, first: index === 0, last: index === all.length - 1 };
    });
    if (loaded?.kind === 'gone') return categoriesScreen(ctx, ctx.t('category-gone'));
    if (loaded?.kind !== 'ok') return;
    const { value } = loaded;
    await show(ctx, adminCategoryView(ctx, locale, value.category, value.products, value));
    await answer(ctx, notice, notice !== undefined);
  }

  async function productScreen(ctx: BotContext, product: string, notice?: Notice) {
    const locale = localeOf(ctx);
    const loaded = await merchant(ctx, async (token) => {
      const found = await deps.catalog.admin.product(token, product, locale);
      if (!found) return undefined;
      const category = found.categoryId
        ? await deps.catalog.admin.category(token, found.categoryId, locale)
        : undefined;
      return { product: found, categoryName: category?.name };
    });
    if (loaded?.kind === 'gone') return categoriesScreen(ctx, ctx.t('product-gone'));
    if (loaded?.kind !== 'ok') return;
    const { value } = loaded;
    await show(ctx, {
      ...adminProductView(ctx, locale, value.product, value.categoryName),
      photo: photos(value.product.imageUrl),
    });
    await answer(ctx, notice, notice !== undefined);
  }

  onPress(feature, adminCategoriesButton, (ctx) => categoriesScreen(ctx));
  onPress(feature, adminCategoryButton, (ctx, { category, page }) => categoryScreen(ctx, category, page));
  onPress(feature, adminProductButton, (ctx, { product }) => productScreen(ctx, product));

  onPress(feature, adminCategoryActionButton, async (ctx, { category, action }) => {
    const locale = localeOf(ctx);
    const done = await merchant(ctx, async (token) => {
      if (action === 'hide' || action === 'show')
        return deps.catalog.admin.updateCategory(token, category, { hidden: action === 'hide' });
      // Its place in the order as the merchant sees it (positions need not be 0..n-1 until a move).
      const index = (await deps.catalog.admin.categories(token, locale)).findIndex(
        (each) => each.id === category,
      );
      if (index < 0) return undefined;
      const position = Math.max(0, index + (action === 'up' ? -1 : 1));
      return deps.catalog.admin.updateCategory(token, category, { position });
    });
    if (done?.kind === 'gone') return categoriesScreen(ctx, ctx.t('category-gone'));
    if (done?.kind === 'ok') await categoryScreen(ctx, category, 1);
  });

  onPress(feature, adminProductVisibilityButton, async (ctx, { product, action }) => {
    const done = await merchant(ctx, (token) =>
      deps.catalog.admin.updateProduct(token, product, { hidden: action === 'hide' }),
    );
    if (done?.kind === 'gone') return categoriesScreen(ctx, ctx.t('product-gone'));
    if (done?.kind === 'ok')
      await productScreen(ctx, product, ctx.t(action === 'hide' ? 'admin-now-hidden' : 'admin-now-visible'));
  });

  onPress(feature, adminNewProductButton, async (ctx) => {
    await answer(ctx);
    await ctx.conversation.enter('adminNewProduct');
  });
  onPress(feature, adminNewCategoryButton, async (ctx) => {
    await answer(ctx);
    await ctx.conversation.enter('adminNewCategory');
  });
  onPress(feature, adminProductEditButton, async (ctx, edit) => {
    await answer(ctx);
    await ctx.conversation.enter('adminEditProduct', edit satisfies ProductEdit);
  });
  onPress(feature, adminCategoryRenameButton, async (ctx, rename) => {
    await answer(ctx);
    await ctx.conversation.enter('adminRenameCategory', rename satisfies CategoryRename);
  });
  return feature;
}
