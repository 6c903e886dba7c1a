import { randomInt } from 'node:crypto';
import type { JWTVerifyGetKey } from 'jose';
import type { Logger } from 'pino';
import {
  createEvent,
  invoicePayloadOf,
  type CancelReason,
  type EventData,
  type InvoiceMethod,
  type PaymentMethod,
  type RefundReason,
} from '@shop/shared';
import {
  afterSentinel,
  createTestTokenIssuer,
  eventually,
  openTestExchange,
  recordingLogger,
  testDatabaseName,
  testServiceNames,
  type Sentinel,
} from '@shop/testkit';
import { Notification, OrderSummary, Recipient } from '../src/db/entities.ts';
import { startFakeBotApi } from './fake-bot-api.ts';
import { startNotificationForTest, type StartedNotification } from './start.ts';

export { BOT_TOKEN } from './start.ts';

export interface RigOptions {
  /** Where the replicas send: a Bot API of the caller's (the sandbox); a fake one of the rig's otherwise. */
  botApiRoot?: string;
  /** Access-token keys to trust (a real auth's JWKS); otherwise the rig's own issuer's (`rig.token`). */
  keys?: JWTVerifyGetKey;
}

/**
 * One suite's world: its own database, event exchange and consumer queues (named after the
 * run), a fake Bot API, and any number of notification services on them (replicas of one,
 * sharing their pace in Redis and trusting one token issuer; other suites, same bot token, do not).
 */
export async function createRig(suite: string, env: Record<string, string> = {}, options: RigOptions = {}) {
  const rigSuite = `notification_${suite}`;
  // The database under the name a suite that opens it itself uses: `testDatabaseName('notification_<suite>')`.
  const names = {
    ...testServiceNames('notification', rigSuite),
    dbName: testDatabaseName(`notification_${suite}`),
  };
  const telegram = await startFakeBotApi();
  const events = await openTestExchange(names.exchange);
  const issuer = options.keys ? undefined : await createTestTokenIssuer();
  const instances: StartedNotification[] = [];

  /** Starts a replica; `overrides` are settings of its own alone (e.g. another Bot API). */
  const start = async (logger?: Logger, overrides: Record<string, string> = {}) => {
    const service = await startNotificationForTest({
      suite: rigSuite,
      names,
      logger,
      botApiRoot: options.botApiRoot ?? telegram.url,
      keys: options.keys,
      issuer,
      env: { ...env, ...overrides },
    });
    instances.push(service);
    return service;
  };

  const em = () => {
    const [first] = instances;
    if (!first) throw new Error('start an instance first');
    return first.orm.em.fork();
  };

  /** Stops one replica (a restart's first half); `close` leaves it alone. */
  const stop = async (instance: StartedNotification) => {
    instances.splice(instances.indexOf(instance), 1);
    await instance.stop();
    stopped.push(instance);
  };
  const stopped: StartedNotification[] = [];

  const close = async () => {
    const started = instances.splice(0);
    for (const instance of started) await instance.stop();
    await events.close([...started, ...stopped].flatMap((one) => one.topology.consumers));
    await telegram.close();
  };

  /**
   * A buyer of its own whose chat, order and outcome go down all three queues behind what the
   * test published; handled once the sender has sent its message (see `afterSentinel`).
   */
  const sentinel = (): Sentinel => {
    const user = buyer();
    return {
      send: () => events.publish(user.linked, user.order, user.paid()),
      handled: () => {
        if (telegram.callsTo(user.chatId).length === 0) throw new Error('the sentinel is not sent yet');
      },
    };
  };

  return {
    names,
    telegram,
    start,
    stop,
    publish: events.publish,
    sentinel,
    close,
    /** An access token of the rig's issuer, for a user of `role` (`sub`: a fresh id unless given). */
    token: (role: 'user' | 'admin', sub: string = crypto.randomUUID()) => {
      if (!issuer) throw new Error('this rig trusts keys of its caller: ask that issuer');
      return issuer.sign({ sub, role });
    },
    notification: (eventId: string) => em().findOneOrFail(Notification, { eventId }),
    /** Waits until the notification has left `pending`/`sending`, then returns it. */
    settled: (eventId: string) =>
      eventually(async () => {
        const row = await em().findOneOrFail(Notification, { eventId });
        if (row.status === 'pending' || row.status === 'sending') throw new Error(`still ${row.status}`);
        return row;
      }),
    recipient: (userId: string) => em().findOneOrFail(Recipient, { userId }),
    /** Waits until the chats and order summaries of `buyers` are all stored. */
    projected: (buyers: { userId: string; orderId: number }[]) =>
      eventually(async () => {
        const chats = await em().count(Recipient, { userId: { $in: buyers.map((one) => one.userId) } });
        const orders = await em().count(OrderSummary, { orderId: { $in: buyers.map((one) => one.orderId) } });
        if (chats + orders < 2 * buyers.length)
          throw new Error(`${chats} chats and ${orders} orders stored so far`);
      }),
  };
}

export type Rig = Awaited<ReturnType<typeof createRig>>;

type OrderItem = EventData<'order.created'>['items'][number];

/** What a buyer buys unless told otherwise: two lines in EUR, €38.90 in all. */
const TEA: { items: OrderItem[]; currency: string } = {
  items: [
    { productId: 1, name: 'Green tea', unitPriceCents: 450, quantity: 2 },
    { productId: 2, name: 'Teapot', unitPriceCents: 2_990, quantity: 1 },
  ],
  currency: 'EUR',
};

/** Digital goods in Telegram Stars: 75 Stars in all. */
export const STARS_ORDER: { items: OrderItem[]; currency: string } = {
  items: [
    { productId: 41, name: 'E-book: Tea Ceremonies', unitPriceCents: 50, quantity: 1 },
    { productId: 43, name: 'Sticker pack', unitPriceCents: 25, quantity: 1 },
  ],
  currency: 'XTR',
};

/** A buyer with a linked chat, and the events of one purchase of theirs (`purchase`: what and in what currency). */
export function buyer({
  languageCode = 'en',
  userId = crypto.randomUUID(),
  chatId = randomInt(1, 2 ** 40),
  purchase = TEA,
} = {}) {
  const orderId = randomInt(1, 2 ** 40);
  const linked = createEvent('user.telegram_linked', {
    userId,
    telegramId: chatId,
    ...(languageCode ? { languageCode } : {}),
  });
  const { items, currency } = purchase;
  const totalCents = items.reduce((sum, item) => sum + item.unitPriceCents * item.quantity, 0);
  const order = createEvent('order.created', { orderId, userId, items, totalCents, currency });
  const payment = { paymentId: crypto.randomUUID(), orderId, userId, amountCents: totalCents, currency };
  return {
    userId,
    chatId,
    orderId,
    linked,
    order,
    /** The order is paid: it carries the order's lines and total, so it needs no order.created. */
    paid: () => createEvent('order.paid', order.data),
    /** The payment failed; without the order's lines, so it waits for order.created. */
    failed: (reason = 'card declined') => createEvent('payment.failed', { ...payment, reason }),
    /** The order is cancelled; its lines come without a total, so it waits for order.created. */
    cancelled: (reason: CancelReason = 'buyer', shortages?: EventData<'stock.rejected'>['shortages']) =>
      createEvent('order.cancelled', { orderId, userId, reason, ...(shortages ? { shortages } : {}) }),
    refunded: () => createEvent('payment.refunded', payment),
    /** The merchant cancelled the order, saying why; `wasPaid` when it had been paid. */
    cancelledByShop: (note?: string, wasPaid = false) =>
      createEvent('order.cancelled', {
        orderId,
        userId,
        reason: 'merchant',
        ...(note ? { note } : {}),
        ...(wasPaid ? { wasPaid } : {}),
      }),
    shipped: (trackingNote?: string) =>
      createEvent('order.shipped', { orderId, userId, ...(trackingNote ? { trackingNote } : {}) }),
    delivered: () => createEvent('order.delivered', { orderId, userId }),
    /** The payment service asks for the order's invoice: Stars for `XTR`, the provider otherwise. */
    requested: (method: InvoiceMethod = currency === 'XTR' ? 'stars' : 'telegram') =>
      createEvent('payment.requested', { ...order.data, method, invoicePayload: invoicePayloadOf(orderId) }),
    /** Money Telegram took for the order is owed back (`payment` names another payment than the order's). */
    refundPending: (
      reason: RefundReason,
      method: PaymentMethod = currency === 'XTR' ? 'stars' : 'telegram',
      paymentId = payment.paymentId,
    ) =>
      createEvent('payment.refund_pending', {
        ...payment,
        paymentId,
        method,
        reason,
        telegramPaymentChargeId: `tg-charge-${paymentId.slice(0, 8)}`,
        providerPaymentChargeId: method === 'stars' ? '' : `provider-charge-${paymentId.slice(0, 8)}`,
      }),
    /** The refund is done (`reason` and `method` as the payment service now says them). */
    refundedFor: (reason: RefundReason, method: PaymentMethod = currency === 'XTR' ? 'stars' : 'telegram') =>
      createEvent('payment.refunded', { ...payment, method, reason }),
  };
}

/**
 * An account whose chat is linked, and the events that make it an admin or not: an operator's
 * grant and revocation, or ADMIN_TELEGRAM_IDS naming its Telegram id (`configured`, which names
 * exactly the ids given, as auth does at each start).
 */
export function admin({
  languageCode = 'en',
  firstName,
}: { languageCode?: string; firstName?: string } = {}) {
  const account = buyer({ languageCode });
  return {
    ...account,
    linked: firstName
      ? createEvent('user.telegram_linked', { ...account.linked.data, firstName })
      : account.linked,
    granted: () => createEvent('user.admin_grant_changed', { userId: account.userId, granted: true }),
    revoked: () => createEvent('user.admin_grant_changed', { userId: account.userId, granted: false }),
  };
}

/** `admins.configured` as auth publishes it at its start: ADMIN_TELEGRAM_IDS names these ids. */
export const configured = (telegramIds: number[], occurredAt = new Date()) =>
  createEvent('admins.configured', { telegramIds }, { occurredAt });

export { afterSentinel, eventually, recordingLogger };
