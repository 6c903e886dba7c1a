/**
 * The payments fault: buyers pay Telegram Stars invoices through the bot while the payment service
 * and then the bot die by kill -9. Money Telegram took must end up recorded exactly once, on a
 * paid order, and nothing else may happen to it (no second payment, no refund).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '@shop/testkit';
import { buyNow, confirmCheckout, escaped, openProduct, typeDelivery } from '../support/chat-steps.ts';
import { SandboxChat, type PayOutcome } from '../support/sandbox.ts';
import type { Shop } from '../support/shop.ts';

const SLOW = 30_000;
const BUYERS = 6;
/**
 * Half the buyers press Pay at once (the kill lands while their payments are being recorded); the
 * others this far apart after them, into the outage, and try again until it is over.
 */
const STAGGER_MS = 400;
/** A buyer refused (the shop could not confirm) or timed out tries again after this. */
const RETRY_MS = 1_000;
/** How long the buyers and the shop have, after both restarts, to get every payment through. */
const SETTLE_MS = 120_000;
const NBSP = '\u00a0';

/** A Stars product of the run, in the demo catalog's digital category. */
export interface StarsProduct {
  id: number;
  name: string;
  stars: number;
}

/** What the fault found: the orders its buyers placed, and what became of their money. */
export interface PaymentsOutcome {
  orderIds: number[];
  /** Charges the sandbox made (Telegram took the Stars). */
  charges: number;
  /** Of those, recorded by the payment service exactly once. */
  recordedOnce: number;
  /** Of the buyers' orders, those paid. */
  paid: number;
}

interface FaultLog {
  note(text: string): void;
  problem(text: string): void;
}

/** A new buyer in the chat orders one `product` through the bot; returns the order and its invoice. */
async function orderInChat(shop: Shop, product: StarsProduct, index: number) {
  const chat = await SandboxChat.create(shop.sandbox, `Payer ${index + 1}`);
  await openProduct(chat, /^Digital goods/, new RegExp(`^${escaped(product.name)} · `), SLOW);
  if ((await buyNow(chat, SLOW)) === 'delivery') await typeDelivery(chat, undefined, SLOW);
  const orderId = await confirmCheckout(chat, `XTR${NBSP}${product.stars}`, SLOW);
  const invoice = await chat.waitForInvoice(SLOW);
  return { chat, orderId, messageId: invoice.messageId };
}

/** Presses Pay until the payment goes through or `deadline()` passes; notes why it was turned down. */
async function payUntilPaid(
  shop: Shop,
  buyer: { chat: SandboxChat; messageId: number },
  deadline: () => number,
  turnedDown: Map<string, number>,
): Promise<PayOutcome | undefined> {
  while (Date.now() < deadline()) {
    const outcome = await shop.sandbox
      .payInvoice(buyer.chat.user.id, buyer.messageId)
      .catch((error: unknown) => ({ status: 'error' as const, reason: (error as Error).message }));
    if (outcome.status === 'paid') return outcome;
    const why = outcome.status === 'refused' ? 'refused' : `${outcome.status} (${outcome.reason})`;
    turnedDown.set(why, (turnedDown.get(why) ?? 0) + 1);
    await sleep(RETRY_MS);
  }
  return undefined;
}

/** How many of these charges the payment service has recorded. */
async function recordedCount(shop: Shop, chargeIds: string[]): Promise<number> {
  const [row] = await shop.query<{ n: number }>(
    'payment',
    'select count(*)::int as n from payments where telegram_payment_charge_id = any($1)',
    [chargeIds],
  );
  return row?.n ?? 0;
}

/**
 * Six buyers order `product` in the chat and get its invoice; they start paying a moment apart.
 * Once the first payment went through, the payment service is killed (-9); `deadSeconds` later,
 * while payments may still wait to be recorded, the bot too. Both come back; buyers turned down
 * meanwhile pay again. Then the books: every charge recorded exactly once as succeeded, every
 * order paid, no other payment and no refund.
 */
export async function paymentsFault(
  shop: Shop,
  product: StarsProduct,
  deadSeconds: number,
  log: FaultLog,
): Promise<PaymentsOutcome> {
  const buyers = await Promise.all(
    Array.from({ length: BUYERS }, (_, index) => orderInChat(shop, product, index)),
  );
  const orderIds = buyers.map((buyer) => buyer.orderId);
  const turnedDown = new Map<string, number>();
  let settleBy = Number.POSITIVE_INFINITY;
  let firstPaid!: () => void;
  const paidOnce = new Promise<void>((resolve) => (firstPaid = resolve));
  const paying = buyers.map(async (buyer, index) => {
    await sleep(Math.max(0, index - BUYERS / 2 + 1) * STAGGER_MS);
    const outcome = await payUntilPaid(shop, buyer, () => settleBy, turnedDown);
    if (outcome) firstPaid();
    return outcome;
  });

  const chargesOf = async () =>
    (await shop.sandbox.charges()).filter((charge) => orderIds.includes(orderOf(charge)));
  const paidInTime = await Promise.race([paidOnce.then(() => true), sleep(SLOW, false)]);
  if (!paidInTime) log.problem(`no buyer could pay within ${SLOW / 1_000} s, before anything was killed`);
  await shop.kill('payment');
  await sleep(deadSeconds * 1_000);
  const taken = await chargesOf();
  const kept = await recordedCount(
    shop,
    taken.map((charge) => charge.telegramPaymentChargeId),
  );
  await shop.kill('bot');
  log.note(`when the bot was killed: ${taken.length} charges taken, ${kept} of them recorded`);
  await sleep(deadSeconds * 1_000);
  await shop.start('payment');
  await shop.start('bot');
  settleBy = Date.now() + SETTLE_MS;
  const outcomes = await Promise.all(paying);
  const unpaid = outcomes.filter((outcome) => outcome === undefined).length;
  if (unpaid > 0) log.problem(`${unpaid} buyers could not pay within ${SETTLE_MS / 1_000} s of the restarts`);
  log.note(
    `buyers turned down meanwhile: ${[...turnedDown].map(([why, n]) => `${why} ${n}`).join(', ') || 'none'}`,
  );

  return settle(shop, orderIds, log);
}

/** The order a charge paid for, from its invoice payload (`order:<id>`). */
function orderOf(charge: { invoicePayload: string }): number {
  return Number(/^order:(\d+)$/.exec(charge.invoicePayload)?.[1]);
}

/** Waits until the books agree (or reports what does not): charges, payments and orders. */
async function settle(shop: Shop, orderIds: number[], log: FaultLog): Promise<PaymentsOutcome> {
  const look = async () => {
    const charges = (await shop.sandbox.charges()).filter((c) => orderIds.includes(orderOf(c)));
    const ids = charges.map((charge) => charge.telegramPaymentChargeId);
    const rows = await shop.query<{ charge: string | null; order_id: string; status: string }>(
      'payment',
      `select telegram_payment_charge_id as charge, order_id, status from payments
        where telegram_payment_charge_id = any($1) or order_id = any($2::bigint[])`,
      [ids, orderIds],
    );
    const orders = await shop.query<{ id: string; status: string }>(
      'order',
      'select id, status from orders where id = any($1::bigint[])',
      [orderIds],
    );
    const wrong: string[] = [];
    const recordedOnce = charges.filter((charge) => {
      const kept = rows.filter((row) => row.charge === charge.telegramPaymentChargeId);
      if (kept.length !== 1 || kept[0]?.status !== 'succeeded')
        wrong.push(
          `charge for #${orderOf(charge)}: ${kept.map((row) => row.status).join(', ') || 'not recorded'}`,
        );
      if (charge.refundedAt !== undefined) wrong.push(`charge for #${orderOf(charge)} was refunded`);
      return kept.length === 1;
    }).length;
    for (const row of rows)
      if (!row.charge || !ids.includes(row.charge))
        wrong.push(`payment of #${row.order_id} (${row.status}) matches no charge`);
    for (const id of orderIds) {
      const taken = charges.filter((charge) => orderOf(charge) === id).length;
      if (taken !== 1) wrong.push(`#${id} was charged ${taken} times`);
    }
    const paid = orders.filter((order) => order.status === 'paid').length;
    for (const order of orders)
      if (order.status !== 'paid') wrong.push(`#${order.id} is ${order.status}, not paid`);
    const outcome = { orderIds, charges: charges.length, recordedOnce, paid };
    if (wrong.length > 0) throw Object.assign(new Error(wrong.join('; ')), { outcome });
    return outcome;
  };
  try {
    const outcome = await eventually(look, SETTLE_MS, 1_000);
    log.note(
      `${outcome.charges} charges taken, ${outcome.recordedOnce} recorded once, ${outcome.paid} of ${orderIds.length} orders paid`,
    );
    return outcome;
  } catch (error) {
    log.problem(`the payments do not add up: ${(error as Error).message}`);
    return (
      (error as { outcome?: PaymentsOutcome }).outcome ?? { orderIds, charges: 0, recordedOnce: 0, paid: 0 }
    );
  }
}
