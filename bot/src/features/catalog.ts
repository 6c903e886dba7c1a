import { Composer } from 'grammy';
import type { BotContext, Dependencies } from '../context.ts';
import { answer, guarded, guestMenu } from '../ui.ts';
import { categoriesScreen, categoryScreen, productScreen, searchScreen } from './catalog-screens.ts';

/** `/catalog`: categories, pages of products and product cards, all in one edited message. */
export function catalogFeature(deps: Dependencies) {
  const feature = new Composer<BotContext>();

  const categories = (ctx: BotContext) =>
    guarded(ctx, 'c', async () => answer(ctx, await categoriesScreen(ctx, deps), true));
  feature.command('catalog', categories);
  feature.callbackQuery(['c', 'm:cat'], categories);

  // Five digits: the catalog serves pages up to 100 000; a longer number is no button of ours.
  feature.callbackQuery(/^c:([\w-]+):(\d{1,5})$/, (ctx) =>
    guarded(ctx, ctx.callbackQuery.data, async () =>
      answer(ctx, await categoryScreen(ctx, deps, ctx.match[1] ?? '', Number(ctx.match[2])), true),
    ),
  );
  feature.callbackQuery(/^s:(\d{1,5})$/, (ctx) =>
    guarded(ctx, ctx.callbackQuery.data, async () =>
      answer(ctx, await searchScreen(ctx, deps, Number(ctx.match[1])), true),
    ),
  );
  feature.callbackQuery(/^p:([\w-]+):(.+)$/, (ctx) =>
    guarded(ctx, ctx.callbackQuery.data, async () =>
      answer(ctx, await productScreen(ctx, deps, ctx.match[1] ?? '', ctx.match[2] ?? 'c'), true),
    ),
  );

  feature.callbackQuery(/^b:([\w-]+)$/, async (ctx) => {
    if (!(await deps.signIns.get(ctx.from.id))) {
      await answer(ctx, ctx.t('login-to-order'), true);
      await ctx.reply(ctx.t('login-to-order'), { reply_markup: guestMenu(ctx) });
      return;
    }
    await answer(ctx);
    await ctx.conversation.enter('checkout', ctx.match[1]);
  });

  return feature;
}
