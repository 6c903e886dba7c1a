/** bench:orders, GET /cart: buyers whose carts hold three of five bench products, read all at once. */
import type autocannon from 'autocannon';
import { load, type LoadResult } from './lib.ts';
import { benchProduct, deleteProduct, freshUser } from './orders-shop.ts';

export interface CartBenchOptions {
  orderUrl: string;
  catalogUrl: string;
  authUrl: string;
  adminToken: string;
  run: string;
  /** The e-mail of the bench account `who`. */
  email: (who: string) => string;
  connections: number;
  durationS: number;
}

const PRODUCTS = 5;
const BUYERS = 10;
const LINES = 3;

/**
 * GET /cart at `connections` connections, spread over BUYERS buyers whose carts differ (three of
 * five products, in different orders), so the order service's catalog lookups differ too; after
 * a 2 s warm-up. The bench products are deleted at the end; the carts stay behind.
 */
export async function measureCart(options: CartBenchOptions): Promise<LoadResult> {
  const { orderUrl, catalogUrl, authUrl, adminToken, run } = options;
  const products: number[] = [];
  try {
    for (let i = 0; i < PRODUCTS; i++)
      products.push(await benchProduct(catalogUrl, adminToken, `${run} cart ${i}`));
    const tokens: string[] = [];
    for (let b = 0; b < BUYERS; b++) {
      const buyer = await freshUser(authUrl, options.email(`cart-${b}`));
      for (let k = 0; k < LINES; k++) {
        const res = await fetch(`${orderUrl}/cart/items/${products[(b + k) % PRODUCTS]}`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${buyer.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ quantity: k + 1 }),
        });
        if (!res.ok) throw new Error(`PUT /cart/items answered ${res.status}: ${await res.text()}`);
      }
      tokens.push(buyer.token);
    }
    let next = 0;
    const cartLoad: autocannon.Options = {
      url: `${orderUrl}/cart`,
      connections: options.connections,
      requests: [
        {
          method: 'GET',
          // Each request as another of the buyers, in turn.
          setupRequest: (request) => ({
            ...request,
            headers: { ...request.headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` },
          }),
        },
      ],
    };
    await load({ ...cartLoad, duration: 2 });
    return await load({ ...cartLoad, duration: options.durationS });
  } finally {
    for (const id of products) await deleteProduct(catalogUrl, adminToken, id).catch(() => {});
  }
}
