import { InlineKeyboard } from 'grammy';
import { buyButton, cartCheckoutButton } from '../buttons.ts';
import type { ConvContext, Dependencies, ShopConversation } from '../context.ts';
import { localeOf } from '../i18n.ts';
import { guestMenu } from '../ui.ts';
import { confirm } from './checkout-confirm.ts';
import { loadCheckout, type Loaded } from './checkout-load.ts';
import { type CheckoutSource, summaryKeyboard, summaryOf, summaryText } from './checkout-steps.ts';
import { askDelivery } from './delivery.ts';

/** Why the checkout cannot start, said in the chat (with Retry when a service is down). */
async function cannotStart(
  ctx: ConvContext,
  source: CheckoutSource,
  loaded: Exclude<Loaded, { kind: 'ready' }>,
) {
  switch (loaded.kind) {
    case 'down': {
      const retry =
        source.from === 'cart'
          ? cartCheckoutButton.build()
          : buyButton.build({ product: source.product, quantity: source.quantity });
      await ctx.reply(ctx.t('service-down', { service: ctx.t(`service-${loaded.service}`) }), {
        reply_markup: new InlineKeyboard().text(ctx.t('btn-retry'), retry),
      });
      return;
    }
    case 'expired':
      await ctx.reply(ctx.t('session-expired'), { reply_markup: guestMenu(ctx) });
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
    const telegramId = ctx.from?.id;
    if (telegramId === undefined) return;
    const locale = localeOf(ctx);
    const idempotencyKey = await conversation.external(() => crypto.randomUUID());
    const tag = idempotencyKey.slice(0, 8);
    const loaded = await conversation.external(() => loadCheckout(deps, telegramId, source, locale));
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
      telegramId,
      idempotencyKey,
      chatId: sent.chat.id,
      summaryId: sent.message_id,
      summary,
    });
  };
}
