import type { QueryResult } from '@mikro-orm/core';
import type { Delivery, ServiceEntityManager } from '@shop/shared';
import type { CartLine } from '../domain/cart.ts';
import { MAX_ITEMS } from '../domain/limits.ts';

export interface StoredCart {
  lines: CartLine[];
  /** The delivery details of the buyer's latest order that had some. */
  delivery: Delivery | null;
}

// One round trip: the lines, oldest first, and the latest delivery details (newest order first
// on orders_user_id_created_at_index, the first one with details).
const READ_CART = `
  select
    (select coalesce(json_agg(json_build_object('productId', product_id, 'quantity', quantity, 'name', name)
                              order by added_at, product_id), '[]'::json)
     from cart_items where user_id = ?) as lines,
    (select json_build_object('name', d.name, 'phone', d.phone, 'address', d.address)
     from orders o join order_deliveries d on d.order_id = o.id
     where o.user_id = ? order by o.created_at desc, o.id desc limit 1) as delivery`;

/** The user's cart lines and remembered delivery details. */
export async function readCart(em: ServiceEntityManager, userId: string): Promise<StoredCart> {
  const [row] = await em.execute<{ lines: CartLine[]; delivery: Delivery | null }[]>(READ_CART, [
    userId,
    userId,
  ]);
  return { lines: row?.lines ?? [], delivery: row?.delivery ?? null };
}

/** The user's cart lines, oldest first. */
export async function readCartLines(em: ServiceEntityManager, userId: string): Promise<CartLine[]> {
  return em.execute<CartLine[]>(
    `select product_id as "productId", quantity, name from cart_items where user_id = ?
     order by added_at, product_id`,
    [userId],
  );
}

// Adds the line, or sets the quantity of the one there, unless that would make a line more than
// MAX_ITEMS. A line keeps its place (`added_at`) when its quantity changes.
const PUT_LINE = `
  insert into cart_items (user_id, product_id, quantity, name, added_at, updated_at)
  select ?, ?, ?, ?, now(), now()
  where exists (select from cart_items where user_id = ? and product_id = ?)
     or (select count(*) from cart_items where user_id = ?) < ?
  on conflict (user_id, product_id)
  do update set quantity = excluded.quantity, name = excluded.name, updated_at = excluded.updated_at`;

/**
 * Sets the quantity of `productId` in the user's cart, adding the line if needed. False when the
 * cart already holds MAX_ITEMS other products (nothing changed). A transaction-scoped advisory
 * lock per user serialises the user's writes, so two requests racing for the last free line
 * cannot both take it: the count is read after the lock, in a statement of its own (a fresh
 * snapshot under READ COMMITTED).
 */
export async function putCartLine(
  em: ServiceEntityManager,
  userId: string,
  line: CartLine,
): Promise<boolean> {
  return em.transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtextextended('cart ' || ?, 0))`, [userId]);
    const result = await tx.execute<QueryResult>(
      PUT_LINE,
      [userId, line.productId, line.quantity, line.name, userId, line.productId, userId, MAX_ITEMS],
      'run',
    );
    return result.affectedRows > 0;
  });
}

/** Removes `productId` from the user's cart; nothing happens when it is not there. */
export async function removeCartLine(em: ServiceEntityManager, userId: string, productId: number) {
  await em.execute('delete from cart_items where user_id = ? and product_id = ?', [userId, productId], 'run');
}

/** Empties the user's cart. */
export async function clearCart(em: ServiceEntityManager, userId: string) {
  await em.execute('delete from cart_items where user_id = ?', [userId], 'run');
}
