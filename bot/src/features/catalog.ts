import { Composer } from 'grammy';
import {
  buyButton,
  cardQuantityButton,
  categoriesButton,
  categoryButton,
  onPress,
  productButton,
  searchButton,
} from '../buttons.ts';
import type { BotContext, Dependencies } from '../context.ts';
import type { CheckoutSource } from '../conversations/checkout-steps.ts';
import { answer, guarded } from '../ui.ts';
import { categoriesScreen, categoryScreen, productScreen, searchScreen } from './catalog-screens.ts';

/** `/catalog`: categories, pages of products and product cards, all in one edited message. */
export function catalogFeature(deps: Dependencies) {
  const feature = new Composer<BotContext>();

  const categories = (ctx: BotContext) =>
    guarded(ctx, categoriesButton.build(), async () => answer(ctx, await categoriesScreen(ctx, deps), true));
  feature.command('catalog', categories);
  onPress(feature, categoriesButton, categories);

  onPress(feature, categoryButton, (ctx, pressed) =>
    guarded(ctx, categoryButton.build(pressed), async () =>
      answer(ctx, await categoryScreen(ctx, deps, pressed.category, pressed.page), true),
    ),
  );
  onPress(feature, searchButton, (ctx, pressed) =>
    guarded(ctx, searchButton.build(pressed), async () =>
      answer(ctx, await searchScreen(ctx, deps, pressed.page), true),
    ),
  );
  onPress(feature, productButton, (ctx, pressed) =>
    guarded(ctx, productButton.build(pressed), async () =>
      answer(ctx, await productScreen(ctx, deps, pressed.product, pressed.back), true),
    ),
  );

  onPress(feature, cardQuantityButton, (ctx, pressed) =>
    guarded(ctx, cardQuantityButton.build(pressed), async () =>
      answer(ctx, await productScreen(ctx, deps, pressed.product, pressed.back, pressed.quantity), true),
    ),
  );

  // No account needed: the checkout signs the buyer in by their Telegram identity.
  onPress(feature, buyButton, async (ctx, { product, quantity }) => {
    await answer(ctx);
    await ctx.conversation.enter('checkout', { from: 'product', product, quantity } satisfies CheckoutSource);
  });

  return feature;
}
