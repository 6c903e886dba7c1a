import { InlineKeyboard } from 'grammy';
import { buyButton, cartCheckoutButton } from '../buttons.ts';
import type { ConvContext, Dependencies, ShopConversation } from '../context.ts';
import { localeOf } from '../i18n.ts';
import { confirm } from './checkout-confirm.ts';
import { loadCheckout, type Loaded } from './checkout-load.ts';
import { type CheckoutSource, summaryKeyboard, summaryOf, summaryText } from './checkout-steps.ts';
import { askDelivery } from './delivery.ts';

/** Retry: the press that started this checkout, again. */
const retry = (ctx: ConvContext, source: CheckoutSource) =>
  new InlineKeyboard().text(
    ctx.t('btn-retry'),
    source.from === 'cart'
      ? cartCheckoutButton.build()
      : buyButton.build({ product: source.product, quantity: source.quantity }),
  );

/**
 * Why the checkout cannot start, said in the chat; with Retry when a service is down or auth
 * refused to sign the buyer in.
 */
async function cannotStart(
  ctx: ConvContext,
  source: CheckoutSource,
  loaded: Exclude<Loaded, { kind: 'ready' }>,
) {
  switch (loaded.kind) {
    case 'down':
      await ctx.reply(ctx.t('service-down', { service: ctx.t(`service-${loaded.service}`) }), {
        reply_markup: retry(ctx, source),
      });
      return;
    case 'sign-in-refused':
      await ctx.reply(ctx.t('sign-in-refused'), { reply_markup: retry(ctx, source) });
      return;
    case 'gone':
      await ctx.reply(ctx.t('product-gone'));
      return;
    case 'short':
      await ctx.reply(
        loaded.stock < 1 ? ctx.t('product-out-of-stock') : ctx.t('quantity-max', { stock: loaded.stock }),
      );
      return;
    case 'empty':
      await ctx.reply(ctx.t('cart-empty'));
      return;
    case 'unavailable':
      await ctx.reply(ctx.t('cart-has-unavailable'));
      return;
  }
}

/**
 * Ordering one product (Buy now) or the cart: delivery details (asked the first time, then
 * those of the latest order), a summary with every line, the total and the delivery details,
 * Confirm / Cancel / Change delivery details. The Idempotency-Key is drawn once per checkout
 * (replays read it back from the log), so a double tap, a retried update or a Retry after an
 * outage all create the same single order.
 */
export function checkoutConversation(deps: Dependencies) {
  return async function checkout(conversation: ShopConversation, ctx: ConvContext, source: CheckoutSource) {
    // The update's `from`: the first service call signs the buyer in with it, language included.
    const buyer = ctx.from;
    if (buyer === undefined) return;
    const locale = localeOf(ctx);
    const idempotencyKey = await conversation.external(() => crypto.randomUUID());
    const tag = idempotencyKey.slice(0, 8);
    const loaded = await conversation.external(() => loadCheckout(deps, buyer, source, locale));
    if (loaded.kind !== 'ready') {
      await cannotStart(ctx, source, loaded);
      return;
    }
    let at = ctx;
    let delivery = loaded.delivery;
    if (!delivery) ({ ctx: at, delivery } = await askDelivery(conversation, ctx));
    const summary = summaryOf(loaded.lines, loaded.currency, delivery);
    const sent = await at.reply(summaryText(at, summary, locale), {
      reply_markup: summaryKeyboard(at, tag, summary),
    });
    await confirm({ conversation, source, tag, locale }, deps, {
      buyer,
      idempotencyKey,
      chatId: sent.chat.id,
      summaryId: sent.message_id,
      summary,
    });
  };
}
