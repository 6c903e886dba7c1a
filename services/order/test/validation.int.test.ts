import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTokenIssuer } from '@shop/testkit';
import { request, startOrderService, type ErrorBody, type TestOrderService } from './harness.ts';
import { refusingUrl } from './real-catalog.ts';

// No catalog answers here: every request below must be turned away before the catalog is asked.
let order: TestOrderService;
beforeAll(async () => {
  order = await startOrderService('validation', { CATALOG_URL: await refusingUrl() });
});
afterAll(() => order.close());

const place = async (body: unknown, headers: Record<string, string> = {}) => {
  const buyer = await order.user();
  return request(order.app, 'POST', '/orders', body, { ...buyer.headers, ...headers });
};

describe('POST /orders input', () => {
  const item = { productId: 1, quantity: 1 };
  const delivery = {
    name: 'Anna Petrova',
    phone: '+7 (999) 123-45-67',
    address: 'Nevsky prospekt 1, St Petersburg',
  };
  /** A cart checkout whose delivery details differ from good ones by `change` (undefined drops a field). */
  const cart = (change: Record<string, unknown>) => ({
    fromCart: true,
    delivery: Object.fromEntries(
      Object.entries<unknown>({ ...delivery, ...change }).filter(([, value]) => value !== undefined),
    ),
  });
  const invalid: [string, unknown, string][] = [
    ['no items', { items: [] }, 'json.items'],
    [
      '21 items',
      { items: Array.from({ length: 21 }, (_, index) => ({ productId: index + 1, quantity: 1 })) },
      'json.items',
    ],
    ['a product listed twice', { items: [item, { productId: 1, quantity: 2 }] }, 'json.items'],
    ['quantity 0', { items: [{ productId: 1, quantity: 0 }] }, 'json.items.0.quantity'],
    ['quantity -3', { items: [{ productId: 1, quantity: -3 }] }, 'json.items.0.quantity'],
    ['quantity 1.5', { items: [{ productId: 1, quantity: 1.5 }] }, 'json.items.0.quantity'],
    ['quantity 101', { items: [{ productId: 1, quantity: 101 }] }, 'json.items.0.quantity'],
    ['quantity "abc"', { items: [{ productId: 1, quantity: 'abc' }] }, 'json.items.0.quantity'],
    ['a product id "1"', { items: [{ productId: '1', quantity: 1 }] }, 'json.items.0.productId'],
    ['a product id 0', { items: [{ productId: 0, quantity: 1 }] }, 'json.items.0.productId'],
    ['a client-sent price', { items: [{ ...item, unitPriceCents: 1 }] }, 'json.items.0'],
    ['an unknown top-level field', { items: [item], totalCents: 1 }, 'json'],
    ['no items field', {}, 'json.items'],
    ['items that are not a list', { items: 'tea' }, 'json.items'],
    ['a cart checkout without delivery details', { fromCart: true }, 'json.delivery'],
    ['a cart checkout with items too', { fromCart: true, items: [item], delivery }, 'json.fromCart'],
    ['fromCart false', { fromCart: false, delivery }, 'json.fromCart'],
    ['a phone that is not a phone', cart({ phone: 'not a phone' }), 'json.delivery.phone'],
    ['a phone of 6 digits', cart({ phone: '12-34-56' }), 'json.delivery.phone'],
    ['a phone of 16 digits', cart({ phone: '+1234567890123456' }), 'json.delivery.phone'],
    ['a phone with letters among its digits', cart({ phone: '+7 999 CALL-ME' }), 'json.delivery.phone'],
    ['a phone given as a number', cart({ phone: 79991234567 }), 'json.delivery.phone'],
    ['a blank name', cart({ name: '   ' }), 'json.delivery.name'],
    ['a name of 101 characters', cart({ name: 'n'.repeat(101) }), 'json.delivery.name'],
    ['an empty address', cart({ address: '' }), 'json.delivery.address'],
    ['an address of 501 characters', cart({ address: 'a'.repeat(501) }), 'json.delivery.address'],
    ['delivery details without an address', cart({ address: undefined }), 'json.delivery.address'],
    ['an unknown delivery field', cart({ email: 'anna@example.com' }), 'json.delivery'],
    [
      'delivery details with items',
      { items: [item], delivery: { ...delivery, phone: 'x' } },
      'json.delivery.phone',
    ],
  ];
  it.each(invalid)('rejects %s with 400 validation_failed naming the field', async (_label, body, path) => {
    const res = await place(body);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ErrorBody & { error: { details: { path: string }[] } };
    expect(error.code).toBe('validation_failed');
    expect(error.details.map((detail) => detail.path)).toContain(path);
  });

  it('says what is wrong with a phone without repeating it', async () => {
    const res = await place(cart({ phone: '+7 999 CALL-ME' }));
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('json.delivery.phone');
    expect(text).not.toContain('CALL-ME');
  });

  it('rejects a body that is not JSON with 400', async () => {
    const buyer = await order.user();
    const res = await order.app.request('/orders', {
      method: 'POST',
      headers: { ...buyer.headers, 'Content-Type': 'application/json' },
      body: '{"items": [',
    });
    expect(res.status).toBe(400);
  });

  it('answers 401 without a token, with a malformed one and with one signed by another key', async () => {
    const body = { items: [{ productId: 1, quantity: 1 }] };
    const stranger = await createTestTokenIssuer();
    const responses = [
      await request(order.app, 'POST', '/orders', body),
      await request(order.app, 'POST', '/orders', body, { Authorization: 'Bearer not.a.token' }),
      await request(order.app, 'POST', '/orders', body, {
        Authorization: `Bearer ${await stranger.sign({})}`,
      }),
    ];
    for (const res of responses) {
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
  });

  it.each([
    ['empty', ''],
    ['longer than 200 characters', 'k'.repeat(201)],
  ])('rejects an Idempotency-Key that is %s with 400', async (_label, key) => {
    const res = await place({ items: [{ productId: 1, quantity: 1 }] }, { 'Idempotency-Key': key });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.code).toBe('validation_failed');
  });
});
