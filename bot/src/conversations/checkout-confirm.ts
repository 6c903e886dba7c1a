import type { InlineKeyboard } from 'grammy';
import type { ConvContext, Dependencies, Translator } from '../context.ts';
import { money } from '../format.ts';
import type { TelegramFrom } from '../telegram-profile.ts';
import {
  buttonOf,
  type Checkout,
  orderOf,
  placeOrder,
  rejectionText,
  summaryKeyboard,
  summaryOf,
  summaryText,
  type Summary,
  type SummaryLine,
} from './checkout-steps.ts';
import { stray } from './ask.ts';
import { askDelivery } from './delivery.ts';

export interface Confirmation {
  /** The update's `from`: placing the order signs the buyer in with it on first need. */
  buyer: TelegramFrom;
  idempotencyKey: string;
  chatId: number;
  summaryId: number;
  /** What the summary message shows. */
  summary: Summary;
}

/** What changed between the summary the buyer saw and the prices the order service answered with. */
function changesText(ctx: Translator, before: Summary, now: Summary, locale: string): string {
  const was = new Map(before.lines.map((line) => [line.productId, line.unitPriceCents]));
  const changes = now.lines
    .filter((line) => was.has(line.productId) && was.get(line.productId) !== line.unitPriceCents)
    .map((line) =>
      ctx.t('checkout-price-change', {
        name: line.name,
        old: money(was.get(line.productId) ?? 0, before.currency, locale),
        new: money(line.unitPriceCents, now.currency, locale),
      }),
    );
  return changes.length > 0
    ? ctx.t('checkout-prices-changed', { changes: changes.join(', ') })
    : ctx.t('checkout-total-changed', { total: money(now.totalCents, now.currency, locale) });
}

/**
 * Confirm / Cancel / Change delivery details under the summary. The order is placed at the total
 * the pressed Confirm carries, and only if the summary still shows it. When the price changed
 * meanwhile the order service creates nothing and the summary is shown again at the new price,
 * to be confirmed again. New delivery details make a new summary; the old one loses its buttons.
 */
export async function confirm(checkout: Checkout, deps: Dependencies, c: Confirmation) {
  const { conversation, tag, locale, source } = checkout;
  let { summary, summaryId } = c;
  for (;;) {
    const ctx: ConvContext = await conversation.wait();
    const button = buttonOf(ctx, tag);
    const shown = () => ({
      text: summaryText(ctx, summary, locale),
      reply_markup: summaryKeyboard(ctx, tag, summary),
    });
    // A second Retry during the same outage repeats the text exactly: that edit succeeds too
    // (see unchanged-edits.ts).
    const edit = async (text: string, reply_markup?: InlineKeyboard) => {
      await ctx.api.editMessageText(c.chatId, summaryId, text, { reply_markup });
    };
    if (button && ctx.callbackQuery?.message?.message_id !== summaryId) {
      // A button of a summary this checkout has since replaced: it shows other delivery details.
      await stray(ctx, 'checkout-use-buttons');
      continue;
    }
    if (button?.action === 'cancel') {
      await edit(ctx.t('checkout-cancelled'));
      await ctx.answerCallbackQuery();
      return;
    }
    if (button?.action === 'delivery') {
      await ctx.answerCallbackQuery();
      await edit(shown().text);
      const asked = await askDelivery(conversation, ctx);
      summary = { ...summary, delivery: asked.delivery };
      const sent = await asked.ctx.reply(summaryText(asked.ctx, summary, locale), {
        reply_markup: summaryKeyboard(asked.ctx, tag, summary),
      });
      summaryId = sent.message_id;
      continue;
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
    const order = orderOf(source, summary);
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
      const before = summary;
      const lines: SummaryLine[] = placed.lines.map(({ productId, name, unitPriceCents, quantity }) => ({
        productId,
        name,
        unitPriceCents,
        quantity,
      }));
      summary = summaryOf(lines, placed.currency, before.delivery);
      const { text, reply_markup } = shown();
      await edit(`${changesText(ctx, before, summary, locale)}\n\n${text}`, reply_markup);
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
    else await edit(rejectionText(ctx, placed.code, placed.names));
    return;
  }
}
