import type { InlineKeyboard } from 'grammy';
import type { Dependencies } from '../context.ts';
import type { TelegramFrom } from '../telegram-profile.ts';
import { money } from '../format.ts';
import {
  buttonOf,
  type Checkout,
  placeOrder,
  stray,
  summaryKeyboard,
  summaryOf,
  summaryText,
  type Summary,
} from './checkout-steps.ts';

export interface Confirmation {
  /** The update's `from`: placing the order signs the buyer in with it on first need. */
  buyer: TelegramFrom;
  idempotencyKey: string;
  chatId: number;
  summaryId: number;
  /** What the summary message shows. */
  summary: Summary;
}

/**
 * Confirm / Cancel under the summary. The order is placed at the total the pressed Confirm
 * carries, and only if the summary still shows it. When the price changed meanwhile the order
 * service creates nothing and the summary is shown again at the new price, to be confirmed again.
 */
export async function confirm({ conversation, tag, locale }: Checkout, deps: Dependencies, c: Confirmation) {
  let { summary } = c;
  for (;;) {
    const ctx = await conversation.wait();
    const button = buttonOf(ctx, tag);
    const shown = () => ({
      text: summaryText(ctx, summary, locale),
      reply_markup: summaryKeyboard(ctx, tag, summary),
    });
    // A second Retry during the same outage repeats the text exactly: that edit succeeds too
    // (see unchanged-edits.ts).
    const edit = async (text: string, reply_markup?: InlineKeyboard) => {
      await ctx.api.editMessageText(c.chatId, c.summaryId, text, { reply_markup });
    };
    if (button?.action === 'cancel') {
      await edit(ctx.t('checkout-cancelled'));
      await ctx.answerCallbackQuery();
      return;
    }
    if (button?.action !== 'confirm') {
      await stray(ctx, 'checkout-use-buttons');
      continue;
    }
    if (button.totalCents !== summary.totalCents) {
      // Pressed on the summary before it showed the new price: not what the buyer sees now.
      await ctx.answerCallbackQuery({ text: ctx.t('checkout-confirm-new-total'), show_alert: true });
      continue;
    }
    const order = {
      productId: summary.product.id,
      quantity: summary.quantity,
      expectedTotalCents: summary.totalCents,
    };
    const placed = await conversation.external(() =>
      placeOrder(deps, c.buyer, order, c.idempotencyKey, locale),
    );
    await ctx.answerCallbackQuery();
    if (placed.kind === 'down') {
      const { text, reply_markup } = shown();
      await edit(`${text}\n\n${ctx.t('order-service-down')}`, reply_markup);
      continue;
    }
    if (placed.kind === 'price-changed') {
      const before = summary.product;
      summary = summaryOf(
        { ...before, name: placed.name, priceCents: placed.unitPriceCents, currency: placed.currency },
        summary.quantity,
      );
      const changed = ctx.t('checkout-price-changed', {
        old: money(before.priceCents, before.currency, locale),
        new: money(placed.unitPriceCents, placed.currency, locale),
      });
      const { text, reply_markup } = shown();
      await edit(`${changed}\n\n${text}`, reply_markup);
      continue;
    }
    if (placed.kind === 'placed') {
      await edit(
        ctx.t('order-placed', {
          number: placed.id,
          total: money(placed.totalCents, placed.currency, locale),
        }),
      );
    } else if (placed.kind === 'sign-in-refused') await edit(ctx.t('sign-in-refused'));
    else await edit(ctx.t(placed.code === 'insufficient_stock' ? 'order-out-of-stock' : 'order-rejected'));
    return;
  }
}
