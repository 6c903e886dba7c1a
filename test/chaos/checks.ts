/**
 * The books at the end, read from the services' own databases, the broker and the Telegram
 * sandbox's record of every Bot API call, not from anything the services say about themselves.
 */
import type { Shop } from '../support/shop.ts';
import { queueDepths } from './broker.ts';

/**
 * What a buyer's chat shows for an order (services/notification/src/domain/messages.ts,
 * English): the first line names the change and the order.
 */
const NOTIFICATIONS: [Told['kind'], RegExp][] = [
  ['paid', /^✅ Order #(\d+) is paid(?: in Telegram Stars)?\./],
  ['failed', /^❌ Payment for order #(\d+) failed\./],
  ['cancelled', /^\S+ Order #(\d+) (?:is|was) cancelled/],
  ['refunded', /^💸 The payment of .+? for order #(\d+) was refunded\b/],
];
const OUTBOX_SERVICES = ['auth', 'catalog', 'order', 'payment'] as const;
/** Orders whose stock may still be held: reserved (or about to be) and not paid, cancelled or failed. */
const LIVE = ['pending', 'awaiting_payment'];

/** One message a buyer's chat received about an order. */
interface Told {
  kind: 'paid' | 'failed' | 'cancelled' | 'refunded';
  chatId: number;
  at: number;
}

/** A product's units as the catalog keeps them, and as the orders account for them. */
export interface StockBooks {
  name: string;
  /** What the product was created with. */
  initial: number;
  onHand: number;
  reserved: number;
  /** Units of paid orders. */
  sold: number;
  /** Units of live orders (pending or awaiting payment). */
  held: number;
}

export interface Snapshot {
  orders: Map<number, { userId: string; status: string }>;
  /** Payments per order id, with their statuses. */
  payments: Map<number, string[]>;
  /** Notifications per order id: which change each told, and to which chat. */
  notifications: Map<number, Told[]>;
  /** The units of each product the run created, from the catalog's and the order service's books. */
  stock: StockBooks[];
  chatOf: Map<string, number>;
  queues: Map<string, number>;
  /** Events still waiting in a service's outbox. */
  unpublished: number;
  /** The sandbox keeps its last 10 000 calls: an older one dropped would hide a notification. */
  callsDropped: boolean;
}

/**
 * The run's products on both sides: units on hand and held in the catalog; units sold to paid
 * orders (shipped and delivered ones too) and held for live ones in the order service.
 */
async function stockBooks(shop: Shop, products: ReadonlyMap<number, number>): Promise<StockBooks[]> {
  const ids = [...products.keys()];
  const catalog = await shop.query<{ id: number; name: string; stock: number; reserved: number }>(
    'catalog',
    'select id, name_en as name, stock, reserved from products where id = any($1::int[])',
    [ids],
  );
  const orders = await shop.query<{ product_id: number; sold: number; held: number }>(
    'order',
    `select i.product_id,
            coalesce(sum(i.quantity) filter (where o.status in ('paid', 'shipped', 'delivered')), 0)::int as sold,
            coalesce(sum(i.quantity) filter (where o.status = any($2::text[])), 0)::int as held
     from order_items i join orders o on o.id = i.order_id
     where i.product_id = any($1::int[]) group by i.product_id`,
    [ids, LIVE],
  );
  return catalog.map((row) => {
    const counted = orders.find((order) => order.product_id === row.id);
    return {
      name: row.name,
      initial: products.get(row.id) ?? 0,
      onHand: row.stock,
      reserved: row.reserved,
      sold: counted?.sold ?? 0,
      held: counted?.held ?? 0,
    };
  });
}

/**
 * One query at a time: the servers are shared, and PostgreSQL's connection slots are few.
 * `products`: the run's products (id -> the stock each was created with).
 */
export async function snapshot(shop: Shop, products: ReadonlyMap<number, number>): Promise<Snapshot> {
  const orders = await shop.query<{ id: string; user_id: string; status: string }>(
    'order',
    'select id, user_id, status from orders',
  );
  const payments = await shop.query<{ order_id: string; status: string }>(
    'payment',
    'select order_id, status from payments',
  );
  const users = await shop.query<{ id: string; telegram_id: string | null }>(
    'auth',
    'select id, telegram_id from users',
  );
  let unpublished = 0;
  for (const name of OUTBOX_SERVICES) {
    const [row] = await shop.query<{ n: number }>(
      name,
      'select count(*)::int as n from outbox where published_at is null',
    );
    unpublished += row?.n ?? 0;
  }
  const stock = await stockBooks(shop, products);
  const calls = await shop.sandbox.calls({ method: 'sendMessage' });
  const queues = await queueDepths(shop.vhost);
  const snap: Snapshot = {
    orders: new Map(orders.map((row) => [Number(row.id), { userId: row.user_id, status: row.status }])),
    payments: new Map(),
    notifications: new Map(),
    stock,
    chatOf: new Map(users.map((row) => [row.id, Number(row.telegram_id)])),
    queues,
    unpublished,
    callsDropped: (await shop.sandbox.calls()).at(0)?.seq !== 1,
  };
  for (const row of payments) {
    const id = Number(row.order_id);
    snap.payments.set(id, [...(snap.payments.get(id) ?? []), row.status]);
  }
  for (const call of calls) {
    if (!call.ok) continue;
    const text = typeof call.params.text === 'string' ? call.params.text : '';
    for (const [kind, pattern] of NOTIFICATIONS) {
      const match = pattern.exec(text);
      if (!match) continue;
      const id = Number(match[1]);
      const told: Told = { kind, chatId: Number(call.params.chat_id), at: call.at };
      snap.notifications.set(id, [...(snap.notifications.get(id) ?? []), told]);
      break;
    }
  }
  return snap;
}

export interface Audit {
  /** Accepted (201) orders missing from the order database, or there under another buyer. */
  lost: number[];
  paidTwice: number[];
  withoutPayment: number[];
  /** Final status that disagrees with the payment (paid without a succeeded payment...). */
  wrongStatus: number[];
  /** Orders still pending or awaiting payment. */
  stillPending: number[];
  notifiedTwice: number[];
  notNotified: number[];
  /** A notification in the wrong chat or telling the wrong outcome. */
  wrongNotification: number[];
  /** `queue: depth` for every queue holding more than the test planted. */
  queueLeftovers: string[];
  /**
   * Products whose units do not add up: what it was created with must be on hand or sold to a
   * paid order, and what the catalog holds must be what live orders hold.
   */
  stockMismatch: string[];
  unpublished: number;
  callsDropped: boolean;
}

/** Checks every order in the database (not only accepted ones) and every queue. */
export function audit(
  snap: Snapshot,
  accepted: readonly { orderId: number; userId: string }[],
  plantedDeadLetters: ReadonlyMap<string, readonly string[]>,
): Audit {
  const result: Audit = {
    lost: accepted
      .filter((order) => snap.orders.get(order.orderId)?.userId !== order.userId)
      .map((order) => order.orderId),
    paidTwice: [],
    withoutPayment: [],
    wrongStatus: [],
    stillPending: [],
    notifiedTwice: [],
    notNotified: [],
    wrongNotification: [],
    queueLeftovers: [],
    stockMismatch: snap.stock
      .filter((books) => books.initial !== books.onHand + books.sold || books.reserved !== books.held)
      .map(describeStock),
    unpublished: snap.unpublished,
    callsDropped: snap.callsDropped,
  };
  for (const [id, order] of snap.orders) {
    const payments = snap.payments.get(id) ?? [];
    const told = snap.notifications.get(id) ?? [];
    if (payments.length > 1) result.paidTwice.push(id);
    // A cancelled order may never have been charged (out of stock, or cancelled first).
    if (payments.length === 0 && order.status !== 'cancelled') result.withoutPayment.push(id);
    if (LIVE.includes(order.status)) result.stillPending.push(id);
    else if (payments.length === 1 && order.status !== statusFor(payments[0]!)) result.wrongStatus.push(id);
    const kinds = told.map((t) => t.kind);
    if (new Set(kinds).size < kinds.length) result.notifiedTwice.push(id);
    if (told.length === 0) result.notNotified.push(id);
    const chat = snap.chatOf.get(order.userId);
    if (told.some((t) => t.chatId !== chat || (!LIVE.includes(order.status) && !fits(t.kind, order.status))))
      result.wrongNotification.push(id);
  }
  for (const [queue, depth] of snap.queues) {
    const planted = plantedDeadLetters.get(queue)?.length ?? 0;
    if (depth !== planted) result.queueLeftovers.push(`${queue}: ${depth} (planted ${planted})`);
  }
  return result;
}

/** The order status a payment's status leads to. */
function statusFor(payment: string): string {
  if (payment === 'succeeded') return 'paid';
  if (payment === 'failed') return 'payment_failed';
  // A payment given back belongs to an order cancelled after it was charged.
  return 'cancelled';
}

/** Whether a message of `kind` may be told about an order that ended `status`. */
function fits(kind: Told['kind'], status: string): boolean {
  switch (kind) {
    case 'paid':
      return status === 'paid';
    case 'failed':
      return status === 'payment_failed';
    case 'cancelled':
    case 'refunded':
      return status === 'cancelled';
  }
}

/** One product's books in a line: `Chaos Marble: 1000000000 = 999999712 on hand (0 reserved) + 288 sold`. */
export function describeStock(books: StockBooks): string {
  const held = books.held > 0 || books.reserved > 0 ? `, ${books.held} held by live orders` : '';
  return `${books.name}: ${books.initial} = ${books.onHand} on hand (${books.reserved} reserved${held}) + ${books.sold} sold`;
}

/** Nothing left to happen: every order final and told, queues as planted, outboxes empty, stock adding up. */
export function settled(a: Audit): boolean {
  return (
    a.stillPending.length === 0 &&
    a.withoutPayment.length === 0 &&
    a.notNotified.length === 0 &&
    a.queueLeftovers.length === 0 &&
    a.stockMismatch.length === 0 &&
    a.unpublished === 0
  );
}

/** The accepted order that waited longest from its 201 to its buyer's message. */
export function slowestNotification(
  snap: Snapshot,
  accepted: readonly { orderId: number; acceptedAt: number }[],
): { orderId: number; acceptedAt: number; seconds: number } | null {
  let slowest: { orderId: number; acceptedAt: number; seconds: number } | null = null;
  for (const { orderId, acceptedAt } of accepted) {
    const first = snap.notifications.get(orderId)?.[0];
    if (!first) continue;
    const seconds = (first.at - acceptedAt) / 1_000;
    if (!slowest || seconds > slowest.seconds) slowest = { orderId, acceptedAt, seconds };
  }
  return slowest;
}
