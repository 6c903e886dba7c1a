/**
 * The order's way through the shop, real and in-process: catalog (served over HTTP, as the order
 * service reaches it), order, payment and notification on one event exchange of this run, tokens
 * from a test issuer, Telegram a fake Bot API. The payment provider is the simulated one behind a
 * hand the test controls: it can hold the next charges, or fail them.
 */
import { createEvent, type EventEnvelope, type EventType, type Orm } from '@shop/shared';
import {
  createTestTokenIssuer,
  deleteTestTopologyOnBroker,
  eventually,
  recordingLogger,
} from '@shop/testkit';
import { startCatalogForTest } from '../../services/catalog/test/start.ts';
import { startFakeBotApi } from '../../services/notification/test/fake-bot-api.ts';
import { startNotificationForTest } from '../../services/notification/test/start.ts';
import { startOrderForTest } from '../../services/order/test/start.ts';
import { expireReservations } from '../../services/order/src/workers/reservation-expiry.ts';
import {
  createSimulatedProvider,
  ProviderUnavailableError,
  type PaymentProvider,
} from '../../services/payment/src/provider/provider.ts';
import { startPaymentForTest } from '../../services/payment/test/start.ts';

/** Orders above this total are declined by the simulated provider. */
export const DECLINE_ABOVE_CENTS = 10_000;

/** What the next charge does: wait until released, then go on or fail as a timeout would. */
export interface HeldCharge {
  /** Resolves with the order id once the provider is asked to charge it. */
  reached: Promise<number>;
  release(): void;
}

/** The simulated provider, with the next charges held (and failed) when the test says so. */
function controlledProvider() {
  const simulated = createSimulatedProvider({ declineAboveCents: DECLINE_ABOVE_CENTS });
  const plan: { reached: (orderId: number) => void; released: Promise<void>; fail: boolean }[] = [];
  const releases: (() => void)[] = [];
  const charges: number[] = [];
  const provider: PaymentProvider = {
    ...simulated,
    async charge(request) {
      charges.push(request.orderId);
      const step = plan.shift();
      if (step) {
        step.reached(request.orderId);
        await step.released;
        if (step.fail) throw new ProviderUnavailableError('the provider timed out');
      }
      return simulated.charge(request);
    },
  };
  return {
    provider,
    /** Every order the provider was asked to charge, in order (a retried one twice). */
    charges,
    /** Holds the next charge; with `fail`, it fails once released (and is retried). */
    holdNext({ fail = false } = {}): HeldCharge {
      let reached = (_orderId: number) => {};
      let release = () => {};
      const step = {
        reached: (orderId: number) => reached(orderId),
        released: new Promise<void>((resolve) => (release = resolve)),
        fail,
      };
      plan.push(step);
      releases.push(release);
      return { reached: new Promise((resolve) => (reached = resolve)), release };
    },
    releaseAll: () => releases.forEach((release) => release()),
  };
}

const query = async <T>(orm: Orm, sql: string, params: unknown[] = []) =>
  orm.em.fork().execute<T[]>(sql, params);

export async function startStockShop(suite: string) {
  const { logger, lines: logs } = recordingLogger();
  // One issuer trusted by every service; each service started by its own starter, all on the
  // suite's one event exchange.
  const issuer = await createTestTokenIssuer();
  const common = { suite: `stock_${suite}`, logger, issuer };
  const catalog = await startCatalogForTest(common);
  const catalogServer = await catalog.serve();
  const order = await startOrderForTest({
    ...common,
    env: { CATALOG_URL: catalogServer.url, CATALOG_TIMEOUT_MS: '5000' },
  });
  const charges = controlledProvider();
  const payment = await startPaymentForTest({ ...common, provider: charges.provider });
  const telegram = await startFakeBotApi();
  const notification = await startNotificationForTest({
    suite: common.suite,
    logger,
    botApiRoot: telegram.url,
    env: { TELEGRAM_MAX_MESSAGES_PER_SECOND: '1000' },
  });

  const adminToken = await issuer.sign({ role: 'admin' });
  const [category] = (
    (await (await catalog.app.request('/categories')).json()) as { items: { id: number }[] }
  ).items;
  if (!category) throw new Error('the catalog has no category');

  const publish = (event: EventEnvelope) => order.broker.publish(event);
  const asAdmin = (path: string, body?: object) =>
    order.app.request(path, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${adminToken}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  /** A buyer with a token and a Telegram chat linked as the bot links it (English unless told). */
  const buyer = async (languageCode = 'en') => {
    const id = crypto.randomUUID();
    const chatId = 1_000_000 + Math.floor(Math.random() * 1e9);
    await publish(createEvent('user.telegram_linked', { userId: id, telegramId: chatId, languageCode }));
    return { id, chatId, headers: { Authorization: `Bearer ${await issuer.sign({ sub: id })}` } };
  };
  type Buyer = Awaited<ReturnType<typeof buyer>>;

  const orderOf = async (who: Buyer, orderId: number) => {
    const res = await order.app.request(`/orders/${orderId}`, { headers: who.headers });
    return (await res.json()) as { status: string; cancelReason?: string; reservedUntil?: string };
  };

  return {
    charges,
    telegram,
    /** Every service's log lines (debug and up). */
    logs,
    apps: { catalog: catalog.app, order: order.app, payment: payment.app },
    buyer,
    /** A product of the test's own, `stock` units of it. */
    async product(name: string, stock: number, priceCents = 1_000): Promise<number> {
      const res = await catalog.app.request('/products', {
        method: 'POST',
        headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name, priceCents, stock, categoryId: category.id }),
      });
      if (res.status !== 201) throw new Error(`product not created: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { id: number }).id;
    },
    /** What the catalog shows as buyable, through its API. */
    async shownStock(productId: number): Promise<number> {
      return ((await (await catalog.app.request(`/products/${productId}`)).json()) as { stock: number })
        .stock;
    },
    /** Units on hand and units held, from the catalog's database. */
    async units(productId: number) {
      const [row] = await query<{ stock: number; reserved: number }>(
        catalog.orm,
        'select stock, reserved from products where id = ?',
        [productId],
      );
      return row;
    },
    /** POST /orders as the buyer; the answer's status and body. */
    async placeOrder(who: Buyer, items: { productId: number; quantity: number }[]) {
      const res = await order.app.request('/orders', {
        method: 'POST',
        headers: { ...who.headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ items }),
      });
      return { status: res.status, body: (await res.json()) as { id: number; status: string } };
    },
    /** Puts `items` in the buyer's cart (PUT /cart/items/:id) and checks it out (POST /orders fromCart). */
    async checkoutCart(who: Buyer, items: { productId: number; quantity: number }[]) {
      const json = { ...who.headers, 'Content-Type': 'application/json' };
      for (const { productId, quantity } of items) {
        const res = await order.app.request(`/cart/items/${productId}`, {
          method: 'PUT',
          headers: json,
          body: JSON.stringify({ quantity }),
        });
        if (res.status !== 200) throw new Error(`cart line not set: ${res.status} ${await res.text()}`);
      }
      const res = await order.app.request('/orders', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          fromCart: true,
          delivery: { name: 'Anna Petrova', phone: '+44 20 7946 0958', address: '221B Baker Street' },
        }),
      });
      return { status: res.status, body: (await res.json()) as { id: number; status: string } };
    },
    async cancel(who: Buyer, orderId: number) {
      return order.app.request(`/orders/${orderId}/cancel`, { method: 'POST', headers: who.headers });
    },
    /** The merchant's desk: an admin's requests to the order service. */
    merchant: {
      cancel: (orderId: number, note?: string) =>
        asAdmin(`/orders/${orderId}/cancel`, note ? { note } : undefined),
      ship: (orderId: number, trackingNote?: string) =>
        asAdmin(`/orders/${orderId}/ship`, trackingNote ? { trackingNote } : undefined),
      deliver: (orderId: number) => asAdmin(`/orders/${orderId}/deliver`),
    },
    /** The events of `type` the order's service put in its outbox, oldest first. */
    async ordersEvents<T extends EventType>(orderId: number, type: T) {
      const rows = await query<{ payload: EventEnvelope<T> }>(
        order.orm,
        `select payload from outbox where type = ? and (payload->'data'->>'orderId')::bigint = ? order by occurred_at`,
        [type, orderId],
      );
      return rows.map((row) => row.payload);
    },
    /** How many `payment.refunded` events the payment service recorded for the order. */
    async refundsAnnounced(orderId: number) {
      const [row] = await query<{ count: number }>(
        payment.orm,
        `select count(*)::int as count from outbox where type = 'payment.refunded' and (payload->'data'->>'orderId')::bigint = ?`,
        [orderId],
      );
      return row?.count ?? 0;
    },
    /** Publishes an event again, as a relay does after a crash (or a copy under a new id). */
    publish,
    /** Whether the catalog and payment both committed the message (their inbox rows exist). */
    async handledByCatalogAndPayment(eventId: string) {
      const seen = async (orm: Orm) =>
        (
          await query<{ count: number }>(
            orm,
            'select count(*)::int as count from inbox where message_id = ?',
            [eventId],
          )
        )[0]?.count ?? 0;
      return (await seen(catalog.orm)) > 0 && (await seen(payment.orm)) > 0;
    },
    orderOf,
    /** Waits until the order is in `status`. */
    async orderIs(who: Buyer, orderId: number, status: string, timeoutMs = 15_000) {
      return eventually(async () => {
        const found = await orderOf(who, orderId);
        if (found.status !== status) throw new Error(`order ${orderId} is ${found.status}, not ${status}`);
        return found;
      }, timeoutMs);
    },
    async payments(orderId: number) {
      return query<{ status: string }>(payment.orm, 'select status from payments where order_id = ?', [
        orderId,
      ]);
    },
    /** The reservation ran out: `reserved_until` in the past, and the expiry worker's run. */
    async expire(orderId: number) {
      await query(order.orm, "update orders set reserved_until = now() - interval '1 second' where id = ?", [
        orderId,
      ]);
      return order.orm.em.fork().transactional((em) => expireReservations(em, { limit: 100, logger }));
    },
    /** The texts the buyer's chat received, in order. */
    told: (who: Buyer) => telegram.callsTo(who.chatId).map((call) => call.text),
    async close() {
      charges.releaseAll();
      const services = [notification, payment, order, catalog];
      for (const service of services) await service.stop();
      await telegram.close();
      await deleteTestTopologyOnBroker({
        exchange: catalog.names.exchange,
        consumers: services.flatMap((service) => service.topology.consumers),
      });
    },
  };
}

export type StockShop = Awaited<ReturnType<typeof startStockShop>>;
