import type { Logger } from '@shop/shared';
import { catalogAdmin, commitToCatalog } from '../../../services/catalog/test/start.ts';
import type { PaymentProvider } from '../../../services/payment/src/provider/provider.ts';
import { startShopInProcess } from '../../../test/support/in-process-shop.ts';

/** The shop every bot test sees: two categories, seven coffees (two pages of five) and a tea. */
const categories = [
  { slug: 'coffee', en: 'Coffee', ru: 'Кофе' },
  { slug: 'tea', en: 'Tea', ru: 'Чай' },
];
const products = [
  ...Array.from({ length: 7 }, (_, i) => ({
    category: 1,
    en: `Coffee ${i + 1}`,
    ru: `Кофе ${i + 1}`,
    priceCents: 1050 + i * 50,
    stock: 5,
  })),
  { category: 2, en: 'Green tea', ru: 'Зелёный чай', priceCents: 450, stock: 3 },
];

export interface ShopOptions {
  /** Names this suite's databases, exchange and queues. */
  suite: string;
  paymentEnv?: Record<string, string>;
  /** The payment provider (the simulated one configured by `paymentEnv` unless given). */
  paymentProvider?: PaymentProvider;
  /** Every service logs here; silent by default. */
  logger?: Logger;
}

/**
 * The REAL auth, catalog, order and payment services in-process (test/support/in-process-shop.ts),
 * each on its own database for this suite, with the bot's fixture catalog. The bot reaches each
 * through a TCP proxy, so a test can take one down without a stand-in.
 */
export async function startRealShop({ suite, paymentEnv = {}, paymentProvider, logger }: ShopOptions) {
  // Observed, not altered: what reached the order service (failed attempts never do).
  const orderRequests: { method: string; path: string; idempotencyKey: string | null }[] = [];
  const shop = await startShopInProcess({
    suite: `bot_${suite}`,
    logger,
    // Short-lived access tokens: the bot's silent refresh is tested by moving its clock a minute.
    partEnv: { auth: { ACCESS_TOKEN_TTL_SECONDS: '60' }, payment: paymentEnv },
    paymentProvider,
    observe: {
      order: (request) =>
        orderRequests.push({
          method: request.method,
          path: new URL(request.url).pathname,
          idempotencyKey: request.headers.get('Idempotency-Key'),
        }),
    },
  });
  const adminToken = await shop.adminToken();
  const admin = catalogAdmin(shop.catalog, adminToken);
  const commit = (sql: string, params: unknown[] = []) =>
    commitToCatalog(shop.catalog, (tx) => tx.execute(sql, params));
  // This suite's own database: replace the demo seed with the fixture, ids from 1, so the
  // tests can name `c:1:1` and `p:8:…` as a user's buttons would.
  await commit('truncate products, categories restart identity cascade');
  for (const [position, c] of categories.entries()) {
    await commit(
      'insert into categories (slug, name_en, name_ru, position, created_at) values (?, ?, ?, ?, now())',
      [c.slug, c.en, c.ru, position],
    );
  }
  for (const p of products) {
    await admin('POST', '/products', {
      name: { en: p.en, ru: p.ru },
      description: { en: `${p.en} — description`, ru: `${p.ru} — описание` },
      priceCents: p.priceCents,
      currency: 'USD',
      stock: p.stock,
      categoryId: p.category,
    });
  }

  return {
    ...shop,
    orderRequests,
    deleteProduct: (id: number) => admin('DELETE', `/products/${id}`),
    /** The merchant edits a product (PATCH /products/:id). */
    editProduct: (id: number, patch: Record<string, unknown>) => admin('PATCH', `/products/${id}`, patch),
    /** The merchant sets a product's photo: the body is the image file. */
    async setPhoto(id: number, image: Uint8Array) {
      const res = await shop.catalog.app.request(`/products/${id}/image`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${adminToken}` },
        body: new Uint8Array(image),
      });
      if (res.status !== 204)
        throw new Error(`catalog PUT photo answered ${res.status}: ${await res.text()}`);
    },
    /** The photo of a product as the catalog serves it, and its imageUrl. */
    async photoOf(id: number) {
      const { imageUrl } = (await (await shop.catalog.app.request(`/products/${id}`)).json()) as {
        imageUrl: string;
      };
      return {
        imageUrl,
        bytes: new Uint8Array(await (await shop.catalog.app.request(imageUrl)).arrayBuffer()),
      };
    },
    /** `count` more teas in stock (after the fixture's ids); returns their ids. */
    async addTeas(count: number): Promise<number[]> {
      const ids: number[] = [];
      for (let i = 1; i <= count; i++) {
        const name = { en: `Tea blend ${i}`, ru: `Чайный сбор ${i}` };
        const res = await admin('POST', '/products', {
          name,
          description: name,
          priceCents: 300,
          currency: 'USD',
          stock: 10,
          categoryId: 2,
        });
        ids.push(((await res.json()) as { id: number }).id);
      }
      return ids;
    },
    /** A product of the merchant's for one suite's own orders, in Tea; returns its id. */
    async addProduct({ name, priceCents, currency = 'USD', stock = 1_000 }: NewProduct): Promise<number> {
      const res = await admin('POST', '/products', {
        name: { en: name, ru: name },
        description: { en: name, ru: name },
        priceCents,
        currency,
        stock,
        categoryId: 2,
      });
      return ((await res.json()) as { id: number }).id;
    },
    /** The reservation of order `id` runs out now, before the order service's sweep notices. */
    async lapseReservation(id: number) {
      await shop.order.orm.em
        .fork()
        .execute("update orders set reserved_until = now() - interval '1 second' where id = ?", [id]);
    },
    /** The merchant changes a price (the catalog's cache follows at once). */
    setPrice: (id: number, priceCents: number) => admin('PATCH', `/products/${id}`, { priceCents }),
    /** The catalog has no undelete: the admin would recreate it; the test puts the row back. */
    restoreProducts: () => commit('update products set deleted_at = null where deleted_at is not null'),
    /** The statuses of orders `ids` in the order service's database. */
    async orderStatuses(ids: number[]) {
      const rows = await shop.order.orm.em
        .fork()
        .execute<{ id: number | string; status: string }[]>('select id, status from orders where id in (?)', [
          ids,
        ]);
      return new Map(rows.map((row) => [Number(row.id), row.status]));
    },
  };
}

export type RealShop = Awaited<ReturnType<typeof startRealShop>>;

export interface NewProduct {
  name: string;
  priceCents: number;
  currency?: string;
  stock?: number;
}
