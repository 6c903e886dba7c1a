/**
 * A steady stream of orders from many buyers, each behaving like a real client: one
 * Idempotency-Key per order, the same key again after a connection error, a timeout or a 5xx,
 * and an order counted as accepted only once a 201 arrived.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Buyer } from '../support/shop-api.ts';

export interface AcceptedOrder {
  orderId: number;
  userId: string;
  chatId: number;
  totalCents: number;
  /** When the 201 arrived (ms since the epoch). */
  acceptedAt: number;
}

export interface LoadOptions {
  orderUrl: string;
  buyers: readonly Buyer[];
  /** Product ids with their price; the mix decides how many payments are declined. */
  products: readonly { id: number; priceCents: number; weight: number }[];
  /** Each buyer waits a random time up to this between orders. */
  maxPauseMs: number;
  /** A request unanswered for this long is abandoned and sent again. */
  requestTimeoutMs?: number;
  /** An order still without a 201 after this long is given up (it may still exist). */
  giveUpAfterMs?: number;
}

export interface LoadResult {
  /** Orders a buyer set out to place. */
  attempted: number;
  accepted: AcceptedOrder[];
  /** Requests sent again with the same key after an error or no answer. */
  retries: number;
  /** Why requests were retried: `HTTP 503`, `ECONNREFUSED`, `timeout`... */
  retryCauses: Map<string, number>;
  /** Orders refused for good (a 4xx other than a key still in use), with status and body. */
  refused: string[];
  /** Orders that never got a 201 before `giveUpAfterMs`. */
  gaveUp: number;
}

const RETRY_BASE_MS = 200;
const RETRY_MAX_MS = 2_000;

function causeOf(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timeout';
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string'
    ? cause.code
    : error instanceof Error
      ? error.message
      : String(error);
}

function pick<T extends { weight: number }>(items: readonly T[]): T {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  let roll = Math.random() * total;
  for (const item of items) {
    roll -= item.weight;
    if (roll < 0) return item;
  }
  return items[items.length - 1] as T;
}

/** Starts every buyer's loop; `stop()` lets orders in progress finish (or give up) and reports. */
export function startLoad(options: LoadOptions) {
  const { orderUrl, buyers, products, maxPauseMs } = options;
  const requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
  const giveUpAfterMs = options.giveUpAfterMs ?? 120_000;
  const result: LoadResult = {
    attempted: 0,
    accepted: [],
    retries: 0,
    retryCauses: new Map(),
    refused: [],
    gaveUp: 0,
  };
  // Aborted by stop(): no new orders, and a buyer's pause ends at once.
  const wakeUp = new AbortController();
  const stopped = () => wakeUp.signal.aborted;

  const retried = (cause: string) => {
    result.retries += 1;
    result.retryCauses.set(cause, (result.retryCauses.get(cause) ?? 0) + 1);
  };

  const placeOrder = async (buyer: Buyer) => {
    result.attempted += 1;
    const product = pick(products);
    const quantity = 1 + Math.floor(Math.random() * 3);
    const key = crypto.randomUUID();
    const body = JSON.stringify({ items: [{ productId: product.id, quantity }] });
    const deadline = Date.now() + giveUpAfterMs;
    for (let attempt = 0; Date.now() < deadline; attempt += 1) {
      if (attempt > 0) await sleep(Math.min(RETRY_BASE_MS * 2 ** (attempt - 1), RETRY_MAX_MS));
      try {
        const res = await fetch(`${orderUrl}/orders`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${buyer.accessToken}`,
            'idempotency-key': key,
          },
          body,
          signal: AbortSignal.timeout(requestTimeoutMs),
        });
        const text = await res.text();
        if (res.status === 201) {
          const order = JSON.parse(text) as { id: number; totalCents: number };
          result.accepted.push({
            orderId: order.id,
            userId: buyer.userId,
            chatId: buyer.chatId,
            totalCents: order.totalCents,
            acceptedAt: Date.now(),
          });
          return;
        }
        // 409 idempotency_key_in_use: our own earlier try is still running; anything 5xx: try again.
        if (res.status >= 500 || res.status === 429 || text.includes('idempotency_key_in_use')) {
          retried(`HTTP ${res.status}`);
          continue;
        }
        result.refused.push(`${res.status} ${text.slice(0, 200)}`);
        return;
      } catch (error) {
        retried(causeOf(error));
      }
    }
    result.gaveUp += 1;
  };

  const buyerLoop = async (buyer: Buyer) => {
    while (!stopped()) {
      await sleep(Math.random() * maxPauseMs, undefined, { signal: wakeUp.signal }).catch(() => {});
      if (!stopped()) await placeOrder(buyer);
    }
  };
  const loops = buyers.map(buyerLoop);

  return {
    /** Orders accepted so far. */
    accepted: () => result.accepted.length,
    async stop(): Promise<LoadResult> {
      wakeUp.abort();
      await Promise.all(loops);
      return result;
    },
  };
}
