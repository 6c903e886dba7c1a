import { eventually } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashRequest } from '../src/domain/request-hash.ts';
import { countRows, justPlaced, request, startOrder, type OrderBody, type TestOrder } from './harness.ts';
import { holdKey } from './key-holder.ts';

let order: TestOrder;
let products: { id: number; name: string; priceCents: number }[];
beforeAll(async () => {
  order = await startOrder('group-commit');
  products = await order.catalog.add(
    { name: 'Tea', priceCents: 450, currency: 'EUR', stock: 100_000 },
    { name: 'Mug', priceCents: 1_299, currency: 'EUR', stock: 100_000 },
    { name: 'Spoon', priceCents: 199, currency: 'EUR', stock: 100_000 },
  );
});
afterAll(() => order.close());

type Buyer = Awaited<ReturnType<TestOrder['user']>>;
const BURST = 30;
/** At most this many transactions for a burst of 30 counts as "sharing statements" (one each would be 30). */
const FEW_TRANSACTIONS = 10;

/** Buyer `n`'s order: one to three items, each buyer listing them in its own order and amounts. */
function itemsFor(n: number) {
  const rotated = [...products.slice(n % 3), ...products.slice(0, n % 3)];
  return rotated
    .slice(0, 1 + ((n + 1) % 3))
    .map((product, position) => ({ product, quantity: 1 + ((n + position) % 4) }));
}
const bodyFor = (n: number) =>
  ({ items: itemsFor(n).map(({ product, quantity }) => ({ productId: product.id, quantity })) }) as const;

/** The response body buyer `n` must get, items in the order they were listed. */
function expectedOrder(n: number) {
  const items = itemsFor(n).map(({ product, quantity }) => ({
    productId: product.id,
    name: product.name,
    unitPriceCents: product.priceCents,
    quantity,
  }));
  return {
    id: expect.any(Number) as number,
    status: 'pending',
    items,
    totalCents: items.reduce((sum, item) => sum + item.unitPriceCents * item.quantity, 0),
    currency: 'EUR',
    createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as string,
  };
}

const place = (buyer: Buyer, body: unknown, key?: string) =>
  request(
    order.app,
    'POST',
    '/orders',
    body,
    key ? { ...buyer.headers, 'Idempotency-Key': key } : buyer.headers,
  );
const fetchOrder = async (buyer: Buyer, id: number) => {
  const res = await request(order.app, 'GET', `/orders/${id}`, undefined, buyer.headers);
  expect(res.status).toBe(200);
  return (await res.json()) as OrderBody;
};

/** How many transactions wrote these orders: rows a transaction writes carry its id as `xmin`. */
async function transactionsThatWrote(ids: readonly number[]) {
  const [row] = await order.orm.em
    .fork()
    .execute<{ count: number }[]>(
      'select count(distinct xmin::text)::int as count from orders where id in (?)',
      [ids],
    );
  return row!.count;
}

/** Everything the order statement wrote for order `id`, read back from the tables. */
async function storedRows(id: number) {
  const [row] = await order.orm.em.fork().execute<
    {
      userId: string;
      status: string;
      totalCents: number;
      currency: string;
      items: unknown;
      events: unknown[];
      keys: unknown[];
    }[]
  >(
    `select o.user_id as "userId", o.status, o.total_cents as "totalCents", o.currency,
       (select json_agg(json_build_object('productId', i.product_id, 'name', i.name,
          'unitPriceCents', i.unit_price_cents, 'quantity', i.quantity) order by i.id)
        from order_items i where i.order_id = o.id) as items,
       (select coalesce(json_agg(e.payload), '[]') from outbox e where e.payload->'data'->>'orderId' = o.id::text) as events,
       (select coalesce(json_agg(json_build_object('key', k.key, 'status', k.response_status, 'body', k.response_body)), '[]')
        from idempotency_keys k where k.user_id = o.user_id) as keys
     from orders o where o.id = ?`,
    [id],
  );
  if (!row) throw new Error(`order ${id} is not in the database`);
  return row;
}

/**
 * Makes every statement that writes the buyer's outbox row fail (as failOutboxInsertsOf in
 * create-order.int.test.ts, not importable from a test file) and records, in sequences, which a
 * rollback does not undo, how many statements tried that order and the most orders one held.
 */
async function failOrdersOf(userId: string) {
  const em = order.orm.em.fork();
  const name = `gc_fail_${userId.replaceAll('-', '')}`;
  await em.execute(`create sequence ${name}_tries`);
  await em.execute(`create sequence ${name}_largest minvalue 0 start 0`);
  await em.execute(`
    create function ${name}() returns trigger language plpgsql as $$
    declare held bigint := (select count(*) from orders where xmin = pg_current_xact_id()::xid);
    begin
      perform nextval('${name}_tries');
      perform setval('${name}_largest', greatest(held, (select last_value from ${name}_largest)));
      raise exception 'injected failure for %', '${userId}';
    end $$`);
  await em.execute(
    `create trigger ${name} after insert on outbox for each row
     when (new.payload->'data'->>'userId' = '${userId}') execute function ${name}()`,
  );
  /** Removes the trigger; resolves to how many statements tried the order and the most orders one held. */
  return async () => {
    const [statements] = await em.execute<{ tries: number; largest: number }[]>(
      `select (select case when is_called then last_value::int else 0 end from ${name}_tries) as tries,
              (select last_value::int from ${name}_largest) as largest`,
    );
    await em.execute(`drop trigger ${name} on outbox`);
    await em.execute(`drop function ${name}()`);
    await em.execute(`drop sequence ${name}_tries, ${name}_largest`);
    return statements!;
  };
}

/**
 * Keeps the order writer busy: a gate order whose statement waits for an Idempotency-Key another
 * transaction holds (key-holder.ts), so the orders placed meanwhile queue for the next statement.
 * `handed` counts the orders given to the real writer (observed, not altered), the gate's included.
 */
async function holdWriter() {
  const writer = order.deps.orders;
  let handed = 0;
  order.deps.orders = {
    write: (draft) => {
      handed += 1;
      return writer.write(draft);
    },
  };
  const buyer = await order.user();
  const key = crypto.randomUUID();
  const body = bodyFor(0);
  const holder = holdKey(order.orm, buyer.id, key, hashRequest({ items: body.items }));
  await holder.claimed;
  const gateOrder = place(buyer, body, key);
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    order.deps.orders = writer;
    await holder.rollback();
    expect((await gateOrder).status).toBe(201);
  };
  // The gate's statement (MikroORM sends it with its values, the buyer's id among them) is
  // waiting for the key's lock.
  try {
    await eventually(async () => {
      const [row] = await order.orm.em.fork().execute<{ waiting: boolean }[]>(
        `select exists (select from pg_stat_activity where datname = current_database()
           and wait_event_type = 'Lock' and position(? in query) > 0) as waiting`,
        [buyer.id],
      );
      expect(row!.waiting).toBe(true);
    });
  } catch (error) {
    await release();
    throw error;
  }
  return {
    handed: () => handed,
    /** Lets the gate order through (it is placed: its key's holder rolls back) and stops counting. */
    release,
  };
}

describe('orders placed at the same moment', () => {
  it('writes 30 buyers’ orders with their items, events and keys, sharing a few statements', async () => {
    const buyers = await Promise.all(Array.from({ length: BURST }, () => order.user()));
    // Every other buyer sends an Idempotency-Key.
    const keyOf = (n: number) => (n % 2 === 0 ? `burst-${n}` : undefined);

    const responses = await Promise.all(buyers.map((buyer, n) => place(buyer, bodyFor(n), keyOf(n))));

    expect(responses.map((res) => res.status)).toEqual(Array.from({ length: BURST }, () => 201));
    const bodies = await Promise.all(responses.map(async (res) => (await res.json()) as OrderBody));
    expect(new Set(bodies.map((body) => body.id)).size).toBe(BURST);
    for (const [n, body] of bodies.entries()) {
      const buyer = buyers[n]!;
      expect(body).toStrictEqual(expectedOrder(n));
      expect(await fetchOrder(buyer, body.id)).toStrictEqual(justPlaced(body));

      const stored = await storedRows(body.id);
      expect(stored).toMatchObject({
        userId: buyer.id,
        status: 'pending',
        totalCents: body.totalCents,
        currency: 'EUR',
      });
      expect(stored.items).toStrictEqual(body.items);
      expect(stored.events).toHaveLength(1);
      expect(stored.events[0]).toMatchObject({
        type: 'order.created',
        data: {
          orderId: body.id,
          userId: buyer.id,
          items: body.items,
          totalCents: body.totalCents,
          currency: 'EUR',
        },
      });
      const key = keyOf(n);
      expect(stored.keys).toStrictEqual(key ? [{ key, status: 201, body }] : []);
    }
    // Group commit: the 30 orders were not written one transaction each.
    expect(await transactionsThatWrote(bodies.map((body) => body.id))).toBeLessThanOrEqual(FEW_TRANSACTIONS);
  });

  it('fails only the order its statement cannot write, and places the others it was grouped with', async () => {
    const buyers = await Promise.all(Array.from({ length: BURST }, () => order.user()));
    const bad = 15;
    const stopFailing = await failOrdersOf(buyers[bad]!.id);
    const gate = await holdWriter();

    let responses: Response[];
    let statements: { tries: number; largest: number };
    try {
      const burst = Promise.all(buyers.map((buyer, n) => place(buyer, bodyFor(n), `k-${n}`)));
      // All 30 wait behind the held statement, so the next one takes them together.
      await eventually(() => expect(gate.handed()).toBe(1 + BURST));
      await gate.release();
      responses = await burst;
    } finally {
      statements = await stopFailing();
      await gate.release();
    }

    expect(responses[bad]!.status).toBe(500);
    expect(await responses[bad]!.json()).toStrictEqual({
      error: { code: 'internal_error', message: 'Internal server error' },
    });
    expect(await countRows(order.orm.em.fork(), buyers[bad]!.id)).toStrictEqual({
      orders: 0,
      items: 0,
      keys: 0,
      events: 0,
    });
    for (const [n, res] of responses.entries()) {
      if (n === bad) continue;
      expect(res.status).toBe(201);
      const body = (await res.json()) as OrderBody;
      expect(body).toStrictEqual(expectedOrder(n));
      expect(await countRows(order.orm.em.fork(), buyers[n]!.id)).toStrictEqual({
        orders: 1,
        items: body.items.length,
        keys: 1,
        events: 1,
      });
    }
    // The failing order was tried in one statement with the 29 others, then on its own.
    expect(statements).toStrictEqual({ tries: 2, largest: BURST });
  });

  it('creates one order for five concurrent requests with one key, beside other buyers’ orders', async () => {
    const buyers = await Promise.all(Array.from({ length: BURST - 5 }, () => order.user()));
    const repeater = await order.user();
    const key = crypto.randomUUID();
    const body = bodyFor(2);

    const [repeats, others] = await Promise.all([
      Promise.all(Array.from({ length: 5 }, () => place(repeater, body, key))),
      Promise.all(buyers.map((buyer, n) => place(buyer, bodyFor(n), `k-${n}`))),
    ]);

    expect(repeats.map((res) => res.status)).toEqual([201, 201, 201, 201, 201]);
    const texts = await Promise.all(repeats.map((res) => res.text()));
    expect(new Set(texts).size).toBe(1);
    const placed = JSON.parse(texts[0]!) as OrderBody;
    expect(placed).toStrictEqual(expectedOrder(2));
    expect(await fetchOrder(repeater, placed.id)).toStrictEqual(justPlaced(placed));
    expect(await countRows(order.orm.em.fork(), repeater.id)).toStrictEqual({
      orders: 1,
      items: placed.items.length,
      keys: 1,
      events: 1,
    });

    expect(others.map((res) => res.status)).toEqual(buyers.map(() => 201));
    const otherBodies = await Promise.all(others.map(async (res) => (await res.json()) as OrderBody));
    for (const [n, other] of otherBodies.entries()) expect(other).toStrictEqual(expectedOrder(n));
    expect(new Set([placed.id, ...otherBodies.map((other) => other.id)]).size).toBe(buyers.length + 1);
    // The repeated key did not break up their statements (a statement claiming one key twice fails,
    // and its orders are then written one by one).
    expect(await transactionsThatWrote(otherBodies.map((other) => other.id))).toBeLessThanOrEqual(
      FEW_TRANSACTIONS,
    );
  });

  it('gives two buyers who send the same Idempotency-Key at once an order each', async () => {
    const [first, second] = [await order.user(), await order.user()];
    const key = `same-key-${crypto.randomUUID()}`;

    const [firstRes, secondRes] = await Promise.all([
      place(first, bodyFor(0), key),
      place(second, bodyFor(1), key),
    ]);

    expect([firstRes.status, secondRes.status]).toEqual([201, 201]);
    const [firstText, secondText] = [await firstRes.text(), await secondRes.text()];
    const firstOrder = JSON.parse(firstText) as OrderBody;
    const secondOrder = JSON.parse(secondText) as OrderBody;
    expect(firstOrder).toStrictEqual(expectedOrder(0));
    expect(secondOrder).toStrictEqual(expectedOrder(1));
    expect(firstOrder.id).not.toBe(secondOrder.id);
    expect(await fetchOrder(first, firstOrder.id)).toStrictEqual(justPlaced(firstOrder));
    expect(await fetchOrder(second, secondOrder.id)).toStrictEqual(justPlaced(secondOrder));
    for (const buyer of [first, second]) {
      expect(await countRows(order.orm.em.fork(), buyer.id)).toMatchObject({ orders: 1, keys: 1, events: 1 });
    }
    // Each buyer's retry is answered with that buyer's own order.
    expect(await (await place(first, bodyFor(0), key)).text()).toBe(firstText);
    expect(await (await place(second, bodyFor(1), key)).text()).toBe(secondText);
  });
});
