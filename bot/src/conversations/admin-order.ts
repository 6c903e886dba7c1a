import { MAX_ORDER_NOTE_LENGTH, orderNote } from '@shop/shared';
import { InlineKeyboard } from 'grammy';
import { adminOrderCardButton, SKIP, type OrderTab } from '../admin/buttons.ts';
import { asMerchant, type Outcome } from '../admin/actions.ts';
import { parseText } from '../admin/inputs.ts';
import type { AdminOrder, MoveResult } from '../clients/order-admin.ts';
import type { ConvContext, Dependencies, ShopConversation } from '../context.ts';
import { localeOf } from '../i18n.ts';
import { actionsFor, adminOrderView } from '../views/admin-orders.ts';
import { type Form, formButton, persist, type Reader, startForm } from './admin-form.ts';
import { step } from './admin-product.ts';

/** The order a form moves, and the list its card returns to. */
export interface OrderMove {
  order: number;
  tab: OrderTab;
  page: number;
}

type Action = 'ship' | 'cancel';
const KEEP = 2;

/**
 * A note of the order service's rule (1-500 characters, trimmed); Skip is none, and Keep the
 * order (`keepable`) leaves it as it is.
 */
const noteReader =
  (keepable: boolean): Reader<{ keep: true } | { note: string | undefined }> =>
  (ctx, choice) => {
    if (choice === KEEP && keepable) return { value: { keep: true } };
    if (choice === SKIP) return { value: { note: undefined } };
    const text = ctx.message?.text;
    if (text === undefined) return { problem: 'admin-send-text' };
    const parsed = parseText(orderNote, text, MAX_ORDER_NOTE_LENGTH);
    return 'value' in parsed ? { value: { note: parsed.value } } : parsed;
  };

const openOrder = (ctx: ConvContext, move: OrderMove) =>
  new InlineKeyboard().text(ctx.t('admin-btn-open-order'), adminOrderCardButton.build(move));

/** The order's card as a new message, `notice` on top. */
const replyCard = (ctx: ConvContext, order: AdminOrder, move: OrderMove, notice: string) => {
  const view = adminOrderView(ctx, localeOf(ctx), order, move, notice);
  return ctx.reply(view.text, { reply_markup: view.keyboard });
};

/** The order as it is now, or undefined (said) when it is gone or `action` no longer applies. */
async function current(form: Form, ctx: ConvContext, move: OrderMove, action: Action) {
  const loaded = await persist(form, ctx, () =>
    asMerchant(form.deps, form.from, (token) => form.deps.orders.admin.order(token, move.order)),
  );
  const at = loaded.ctx;
  if (loaded.outcome.kind !== 'ok') {
    await at.reply(at.t('order-gone'));
    return undefined;
  }
  const order = loaded.outcome.value;
  if (actionsFor(order.status).includes(action)) return { ctx: at, order };
  await at.reply(at.t(`admin-refused-${action}`, { number: order.id, status: order.status }), {
    reply_markup: openOrder(at, move),
  });
  return undefined;
}

/** Tells how the move ended: the card with what changed, or why nothing did. */
async function ended(
  deps: Dependencies,
  ctx: ConvContext,
  move: OrderMove,
  action: Action,
  outcome: Exclude<Outcome<MoveResult>, { kind: 'down' | 'not-admin' }>,
) {
  if (outcome.kind === 'gone') return ctx.reply(ctx.t('order-gone'));
  if (outcome.kind === 'refused') {
    deps.logger.warn({ outcome }, 'the order service refused a merchant');
    return ctx.reply(ctx.t('admin-order-refused'), { reply_markup: openOrder(ctx, move) });
  }
  const result = outcome.value;
  if ('refused' in result)
    return ctx.reply(ctx.t(`admin-refused-${action}`, { number: move.order, status: result.refused }), {
      reply_markup: openOrder(ctx, move),
    });
  return replyCard(ctx, result.order, move, ctx.t(`admin-done-${action}`, { number: move.order }));
}

/** Ship: the tracking note for the buyer is asked (or skipped), then the order is shipped. */
export function adminShipOrderConversation(deps: Dependencies) {
  return async function adminShipOrder(conversation: ShopConversation, ctx: ConvContext, move: OrderMove) {
    const form = await startForm(conversation, deps, ctx);
    if (!form) return;
    const found = await current(form, ctx, move, 'ship');
    if (!found) return;
    const asked = await step(
      form,
      found.ctx,
      found.ctx.t('admin-ask-tracking', { number: move.order }),
      noteReader(false),
      new InlineKeyboard().text(found.ctx.t('admin-btn-no-tracking'), formButton(form, SKIP)),
    );
    const note = 'note' in asked.value ? asked.value.note : undefined;
    const shipped = await persist(form, asked.ctx, () =>
      asMerchant(deps, form.from, (token) => deps.orders.admin.ship(token, move.order, note)),
    );
    await ended(deps, shipped.ctx, move, 'ship', shipped.outcome);
  };
}

/** Cancel: the reason for the buyer is asked (or skipped), or the order kept; a paid one is refunded. */
export function adminCancelOrderConversation(deps: Dependencies) {
  return async function adminCancelOrder(conversation: ShopConversation, ctx: ConvContext, move: OrderMove) {
    const form = await startForm(conversation, deps, ctx);
    if (!form) return;
    const found = await current(form, ctx, move, 'cancel');
    if (!found) return;
    const at = found.ctx;
    const paid = found.order.status === 'paid' || found.order.status === 'shipped';
    const asked = await step(
      form,
      at,
      at.t(paid ? 'admin-ask-cancel-paid' : 'admin-ask-cancel', { number: move.order }),
      noteReader(true),
      new InlineKeyboard()
        .text(at.t('admin-btn-no-reason'), formButton(form, SKIP))
        .row()
        .text(at.t('admin-btn-keep-order'), formButton(form, KEEP)),
    );
    if ('keep' in asked.value) {
      await asked.ctx.reply(asked.ctx.t('admin-order-kept', { number: move.order }), {
        reply_markup: openOrder(asked.ctx, move),
      });
      return;
    }
    const reason = asked.value.note;
    const cancelled = await persist(form, asked.ctx, () =>
      asMerchant(deps, form.from, (token) => deps.orders.admin.cancel(token, move.order, reason)),
    );
    await ended(deps, cancelled.ctx, move, 'cancel', cancelled.outcome);
  };
}
