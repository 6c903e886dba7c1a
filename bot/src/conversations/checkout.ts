import { GrammyError, InlineKeyboard } from 'grammy';
import type { Product } from '../clients/catalog.ts';
import type { ConvContext, Dependencies, ShopConversation } from '../context.ts';
import { money } from '../format.ts';
import { localeOf } from '../i18n.ts';
import {
  loadProduct,
  parseQuantity,
  placeOrder,
  quantityKeyboard,
  quantityText,
  summaryKeyboard,
  summaryText,
} from './checkout-steps.ts';

interface Checkout {
  conversation: ShopConversation;
  product: Product;
  /** Short id of this checkout in callback data: buttons of another checkout are old buttons. */
  tag: string;
  locale: string;
}

/** `k:<tag>:<action>` of this checkout, or undefined for any other update. */
const actionOf = (ctx: ConvContext, tag: string) => {
  const data = ctx.callbackQuery?.data;
  return data?.startsWith(`k:${tag}:`) ? data.slice(tag.length + 3) : undefined;
};

async function stray(ctx: ConvContext, hint: string) {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t('button-inactive') });
  else if (ctx.message) await ctx.reply(ctx.t(hint));
}

/** +/- buttons or a typed number. Returns the quantity and the context that settled it, or undefined on Cancel. */
async function chooseQuantity({ conversation, product, tag, locale }: Checkout) {
  let quantity = 1;
  for (;;) {
    const ctx = await conversation.wait();
    const action = actionOf(ctx, tag);
    if (action === '+' || action === '-') {
      const wanted = quantity + (action === '+' ? 1 : -1);
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
    } else if (action === 'ok') return { ctx, quantity, typed: false };
    else if (action === 'no') return { ctx, quantity: undefined, typed: false };
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
    const telegramId = ctx.from?.id;
    if (telegramId === undefined) return;
    const locale = localeOf(ctx);
    const idempotencyKey = await conversation.external(() => crypto.randomUUID());
    const tag = idempotencyKey.slice(0, 8);
    const loaded = await conversation.external(() => loadProduct(deps, productId, locale));
    if (loaded.kind === 'down') {
      await ctx.reply(ctx.t('service-down', { service: ctx.t('service-catalog') }), {
        reply_markup: new InlineKeyboard().text(ctx.t('btn-retry'), `b:${productId}`),
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
    const summary = {
      text: summaryText(ctx, loaded.product, chosen.quantity, locale),
      reply_markup: summaryKeyboard(ctx, tag),
    };
    let summaryId = prompt.message_id;
    if (chosen.typed) {
      // The +/- buttons above would now only confuse: strip them, then summarise below the number.
      await chosen.ctx.api.editMessageReplyMarkup(prompt.chat.id, prompt.message_id);
      summaryId = (await chosen.ctx.reply(summary.text, { reply_markup: summary.reply_markup })).message_id;
    } else {
      await chosen.ctx.editMessageText(summary.text, { reply_markup: summary.reply_markup });
      await chosen.ctx.answerCallbackQuery();
    }
    await confirm(checkout, deps, {
      telegramId,
      quantity: chosen.quantity,
      idempotencyKey,
      chatId: prompt.chat.id,
      summaryId,
      summary,
    });
  };
}

interface Confirmation {
  telegramId: number;
  quantity: number;
  idempotencyKey: string;
  chatId: number;
  summaryId: number;
  summary: { text: string; reply_markup: InlineKeyboard };
}

async function confirm(
  { conversation, product, tag, locale }: Checkout,
  deps: Dependencies,
  c: Confirmation,
) {
  for (;;) {
    const ctx = await conversation.wait();
    const action = actionOf(ctx, tag);
    const edit = async (text: string, reply_markup?: InlineKeyboard) => {
      try {
        await ctx.api.editMessageText(c.chatId, c.summaryId, text, { reply_markup });
      } catch (error) {
        // A second Retry during the same outage would repeat the text exactly.
        if (!(error instanceof GrammyError && error.description.includes('not modified'))) throw error;
      }
    };
    if (action === 'no') {
      await edit(ctx.t('checkout-cancelled'));
      await ctx.answerCallbackQuery();
      return;
    }
    if (action !== 'buy') {
      await stray(ctx, 'checkout-use-buttons');
      continue;
    }
    const item = { productId: product.id, quantity: c.quantity };
    const placed = await conversation.external(() =>
      placeOrder(deps, c.telegramId, item, c.idempotencyKey, locale),
    );
    await ctx.answerCallbackQuery();
    if (placed.kind === 'down') {
      await edit(`${c.summary.text}\n\n${ctx.t('order-service-down')}`, c.summary.reply_markup);
      continue;
    }
    if (placed.kind === 'placed') {
      await edit(
        ctx.t('order-placed', {
          number: placed.id,
          total: money(placed.totalCents, placed.currency, locale),
        }),
      );
    } else if (placed.kind === 'expired') await edit(ctx.t('session-expired'));
    else await edit(ctx.t(placed.code === 'insufficient_stock' ? 'order-out-of-stock' : 'order-rejected'));
    return;
  }
}
