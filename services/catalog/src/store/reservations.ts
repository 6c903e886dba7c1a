import type { ServiceEntityManager } from '@shop/shared';
import type { ProductStock, Reservation, StockLine } from '../domain/stock.ts';
import type { StockPlan } from '../domain/stock-plan.ts';

/**
 * Takes each order's lock for the rest of the transaction, all in one statement and in one fixed
 * order (by hash), so two replicas handling events of the same orders never wait for each other
 * in a circle. A lock, not a row: the first event of an order finds no reservation to lock.
 */
export async function lockOrders(em: ServiceEntityManager, orderIds: readonly number[]): Promise<void> {
  await em.execute(
    `select count(pg_advisory_xact_lock(h)) from (
       select distinct hashtextextended('catalog:order:' || id, 0) as h
       from unnest(array[?]::bigint[]) as id order by h) as keys`,
    [orderIds],
    'all',
  );
}

/** The reservations of `orderIds` that exist (read after `lockOrders`: nothing moves them meanwhile). */
export async function readReservations(
  em: ServiceEntityManager,
  orderIds: readonly number[],
): Promise<Map<number, Reservation>> {
  const rows = await em.execute<
    { order_id: string; state: Reservation['state']; lines: StockLine[] | null }[]
  >('select order_id, state, lines from reservations where order_id in (?)', [orderIds]);
  return new Map(rows.map((row) => [Number(row.order_id), { state: row.state, lines: row.lines }]));
}

/**
 * Locks the products (deleted ones too: a held unit still leaves or comes back) in id order, so
 * two transactions over the same products never deadlock; after `lockOrders`, always.
 */
export async function lockProducts(
  em: ServiceEntityManager,
  productIds: readonly number[],
): Promise<Map<number, ProductStock>> {
  if (productIds.length === 0) return new Map();
  const rows = await em.execute<{ id: number; stock: number; reserved: number; deleted: boolean }[]>(
    `select id, stock, reserved, deleted_at is not null as deleted from products
     where id in (?) order by id for update`,
    [productIds],
  );
  return new Map(rows.map(({ id, ...stock }) => [id, stock]));
}

/** Writes what `plan` changed: the reservations' new states and the products' new counts, a statement each. */
export async function savePlan(em: ServiceEntityManager, plan: StockPlan): Promise<void> {
  if (plan.reservations.size > 0) {
    const rows = [...plan.reservations].map(([orderId, { state, lines }]) => ({
      order_id: orderId,
      state,
      lines,
    }));
    await em.execute(
      `insert into reservations (order_id, state, lines)
       select order_id, state, lines from json_to_recordset(?::json) as input(order_id bigint, state text, lines jsonb)
       on conflict (order_id) do update set state = excluded.state, lines = excluded.lines, updated_at = now()`,
      [JSON.stringify(rows)],
      'run',
    );
  }
  if (plan.products.size > 0) {
    const rows = [...plan.products].map(([id, { stock, reserved }]) => ({ id, stock, reserved }));
    await em.execute(
      `update products p set stock = input.stock, reserved = input.reserved, updated_at = now()
       from json_to_recordset(?::json) as input(id int, stock int, reserved int) where p.id = input.id`,
      [JSON.stringify(rows)],
      'run',
    );
  }
}
