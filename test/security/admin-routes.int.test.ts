import { signValidToken } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpegOf } from '../../services/catalog/test/image-files.ts';
import { sendAndCheck } from '../support/http-contract.ts';
import { describeRoute, fillPath, routesOf, type Route } from '../support/routes.ts';
import { serviceNames, startWholeShop, type WholeShop } from '../support/whole-shop.ts';

let shop: WholeShop;
let guarded: Route[];
beforeAll(async () => {
  shop = await startWholeShop('sec_admin');
  const all = await Promise.all(serviceNames.map((service) => routesOf(service, shop.apps[service])));
  // A protected route that documents 403 has a role (or a caller) it is reserved for.
  guarded = all.flat().filter((route) => route.secured && route.statuses.includes(403));
});
afterAll(() => shop.close());

const tokenOf = (role: 'user' | 'admin') =>
  signValidToken(shop.trustedKey(), { sub: crypto.randomUUID(), role });

// What an admin (or the bot) would send: a refusal must not depend on a malformed body.
const bodies: Record<string, unknown> = {
  'auth PUT /auth/me/telegram': { telegramId: 42 },
  'catalog POST /products': { name: 'Stolen', priceCents: 1, categoryId: 1 },
  'catalog PATCH /products/:id': { stock: 0 },
  'catalog POST /categories': { name: 'Stolen' },
  'catalog PATCH /categories/:id': { hidden: false },
  'notification POST /admin/announcements': { text: 'Everything is free today' },
  'payment POST /payments/telegram': {
    invoicePayload: 'order:1',
    currency: 'EUR',
    totalAmount: 100,
    telegramPaymentChargeId: 'forged-charge',
    providerPaymentChargeId: '',
    telegramUserId: 42,
  },
};

// Ids in paths: product 2 (the admin's DELETE /products/1 may have come first), a payment's uuid.
const pathValues = (route: Route, upload: boolean): Record<string, string> =>
  route.service === 'payment'
    ? { id: crypto.randomUUID() }
    : upload || route.path === '/admin/products/:id'
      ? { id: '2' }
      : {};

// The photo upload takes the image itself as its body.
const uploads: Record<string, () => Promise<Buffer>> = {
  'catalog PUT /products/:id/image': () => jpegOf(40, 30),
};

async function send(route: Route, role: 'user' | 'admin') {
  const upload = uploads[describeRoute(route)];
  const body = upload
    ? new Uint8Array(await upload())
    : route.method === 'DELETE'
      ? undefined
      : JSON.stringify(bodies[describeRoute(route)]);
  return sendAndCheck(shop.apps[route.service], {
    method: route.method,
    url: fillPath(route.path, pathValues(route, upload !== undefined)),
    headers: {
      Authorization: `Bearer ${await tokenOf(role)}`,
      'Content-Type': upload ? 'image/jpeg' : 'application/json',
      'Idempotency-Key': crypto.randomUUID(),
    },
    ...(body === undefined ? {} : { body }),
  });
}

const productOne = async () => (await shop.apps.catalog.request('/products/1?lang=en')).text();
const productCount = async () =>
  ((await (await shop.apps.catalog.request('/products?limit=1')).json()) as { total: number }).total;

describe('routes reserved for admins (or for the bot)', () => {
  it("are the catalog writes, the merchant's reads, the order desk, the statistics, the announcements, the refunds, the Telegram link and recording a Telegram payment", () => {
    expect(guarded.map(describeRoute).sort()).toEqual([
      'auth PUT /auth/me/telegram',
      'catalog DELETE /products/:id',
      'catalog GET /admin/categories',
      'catalog GET /admin/categories/:id',
      'catalog GET /admin/products',
      'catalog GET /admin/products/:id',
      'catalog PATCH /categories/:id',
      'catalog PATCH /products/:id',
      'catalog POST /categories',
      'catalog POST /products',
      'catalog PUT /products/:id/image',
      'notification GET /admin/announcements/:id',
      'notification POST /admin/announcements',
      'order GET /admin/orders',
      'order GET /admin/orders/:id',
      'order GET /admin/stats',
      'order POST /orders/:id/deliver',
      'order POST /orders/:id/ship',
      'payment GET /admin/payments',
      'payment POST /admin/payments/:id/refunded',
      'payment POST /payments/telegram',
    ]);
  });

  it('refuse a valid user token with 403 forbidden and change nothing', async () => {
    const [product, count] = [await productOne(), await productCount()];
    for (const route of guarded) expect(await send(route, 'user'), describeRoute(route)).toBe(403);
    expect(await productOne()).toBe(product);
    expect(await productCount()).toBe(count);
    const [announcements] = await shop.notification.orm.em
      .fork()
      .execute<{ count: string }[]>('select count(*) from announcements');
    expect(Number(announcements?.count)).toBe(0);
  });

  it('let an admin token through on the admin routes (the control)', async () => {
    const adminRoutes = guarded.filter((route) => route.tags.some((tag) => tag.includes('admin')));
    expect(adminRoutes).toHaveLength(17);
    // Order 1 (or the payment) need not exist, nor be paid: past the role check, showing or
    // shipping it may be 404 or 409.
    const passed = (route: Route) =>
      route.service !== 'catalog' &&
      route.service !== 'notification' &&
      (route.method === 'POST' || route.path.endsWith('/:id'))
        ? [200, 404, 409]
        : [200, 201, 204];
    for (const route of adminRoutes)
      expect(passed(route), describeRoute(route)).toContain(await send(route, 'admin'));
  });
});
