import { InlineKeyboard } from 'grammy';
import { buyButton } from '../buttons.ts';
import type { ConvContext, Dependencies, ShopConversation } from '../context.ts';
import { localeOf } from '../i18n.ts';
import { confirm } from './checkout-confirm.ts';
import {
  buttonOf,
  type Checkout,
  chosenQuantityText,
  loadProduct,
  parseQuantity,
  quantityKeyboard,
  quantityText,
  stray,
  summaryKeyboard,
  summaryOf,
  summaryText,
} from './checkout-steps.ts';

/** +/- buttons or a typed number. Returns the quantity and the context that settled it, or undefined on Cancel. */
async function chooseQuantity({ conversation, product, tag, locale }: Checkout) {
  let quantity = 1;
  for (;;) {
    const ctx = await conversation.wait();
    const action = buttonOf(ctx, tag)?.action;
    if (action === 'plus' || action === 'minus') {
      const wanted = quantity + (action === 'plus' ? 1 : -1);
      if (wanted < 1) await ctx.answerCallbackQuery({ text: ctx.t('quantity-min') });
      else if (wanted > product.stock)
        await ctx.answerCallbackQuery({ text: ctx.t('quantity-max', { stock: product.stock }) });
      else {
        quantity = wanted;
        await ctx.editMessageText(quantityText(ctx, product, quantity, locale), {
          reply_markup: quantityKeyboard(ctx, tag, quantity),
        });
        await ctx.answerCallbackQuery();
      }
    } else if (action === 'continue') return { ctx, quantity, typed: false };
    else if (action === 'cancel') return { ctx, quantity: undefined, typed: false };
    else if (action !== undefined) await ctx.answerCallbackQuery();
    else if (ctx.message?.text !== undefined) {
      const parsed = parseQuantity(ctx.message.text, product.stock);
      if ('quantity' in parsed) return { ctx, quantity: parsed.quantity, typed: true };
      await ctx.reply(ctx.t(parsed.problem, { stock: parsed.stock ?? product.stock }));
    } else await stray(ctx, 'quantity-send-number');
  }
}

/**
 * Ordering: quantity, summary with total, Confirm / Cancel. The Idempotency-Key is drawn once
 * per checkout (replays read it back from the log), so a double tap, a retried update or a
 * Retry after an outage all create the same single order.
 */
export function checkoutConversation(deps: Dependencies) {
  return async function checkout(conversation: ShopConversation, ctx: ConvContext, productId: string) {
    const buyer = ctx.from;
    if (buyer === undefined) return;
    const locale = localeOf(ctx);
    const idempotencyKey = await conversation.external(() => crypto.randomUUID());
    const tag = idempotencyKey.slice(0, 8);
    const loaded = await conversation.external(() => loadProduct(deps, productId, locale));
    if (loaded.kind === 'down') {
      await ctx.reply(ctx.t('service-down', { service: ctx.t('service-catalog') }), {
        reply_markup: new InlineKeyboard().text(ctx.t('btn-retry'), buyButton.build({ product: productId })),
      });
      return;
    }
    if (loaded.kind === 'gone' || loaded.product.stock < 1) {
      await ctx.reply(ctx.t(loaded.kind === 'gone' ? 'product-gone' : 'product-out-of-stock'));
      return;
    }
    const checkout: Checkout = { conversation, product: loaded.product, tag, locale };
    const prompt = await ctx.reply(quantityText(ctx, loaded.product, 1, locale), {
      reply_markup: quantityKeyboard(ctx, tag, 1),
    });
    const chosen = await chooseQuantity(checkout);
    if (chosen.quantity === undefined) {
      await chosen.ctx.editMessageText(chosen.ctx.t('checkout-cancelled'));
      await chosen.ctx.answerCallbackQuery();
      return;
    }
    const summary = summaryOf(loaded.product, chosen.quantity);
    const shown = {
      text: summaryText(ctx, summary, locale),
      reply_markup: summaryKeyboard(ctx, tag, summary),
    };
    let summaryId = prompt.message_id;
    if (chosen.typed) {
      // The prompt above now states the typed quantity, without buttons; the summary goes below the number.
      await chosen.ctx.api.editMessageText(
        prompt.chat.id,
        prompt.message_id,
        chosenQuantityText(ctx, loaded.product, chosen.quantity, locale),
      );
      summaryId = (await chosen.ctx.reply(shown.text, { reply_markup: shown.reply_markup })).message_id;
    } else {
      await chosen.ctx.editMessageText(shown.text, { reply_markup: shown.reply_markup });
      await chosen.ctx.answerCallbackQuery();
    }
    await confirm(checkout, deps, { buyer, idempotencyKey, chatId: prompt.chat.id, summaryId, summary });
  };
}
