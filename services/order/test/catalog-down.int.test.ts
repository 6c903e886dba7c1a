import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Order } from '../src/db/entities.ts';
import { request, startOrderService, type TestOrderService } from './harness.ts';
import { refusingUrl, startBrokenUpstream } from './real-catalog.ts';

async function expectCatalogUnavailable(order: TestOrderService, productId: number) {
  const buyer = await order.user();
  const res = await request(
    order.app,
    'POST',
    '/orders',
    { items: [{ productId, quantity: 1 }] },
    buyer.headers,
  );
  expect(res.status).toBe(503);
  expect(await res.json()).toStrictEqual({
    error: { code: 'service_unavailable', message: 'catalog is unavailable, try again shortly' },
  });
  expect(await order.orm.em.fork().count(Order, { userId: buyer.id })).toBe(0);
}

describe('POST /orders while the catalog is stopped', () => {
  it('answers 503 when the catalog refuses connections, and /ready reports it without failing', async () => {
    const order = await startOrderService('catalog-stopped', { CATALOG_URL: await refusingUrl() });
    try {
      await expectCatalogUnavailable(order, 1);
      const ready = await order.app.request('/ready');
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        status: 'degraded',
        checks: { postgres: 'ok', rabbitmq: 'ok', catalog: expect.not.stringMatching(/^ok$/) },
      });
    } finally {
      await order.close();
    }
  });
});

describe('POST /orders while the catalog is unwell', () => {
  let upstream: Awaited<ReturnType<typeof startBrokenUpstream>>;
  let order: TestOrderService;
  beforeAll(async () => {
    upstream = await startBrokenUpstream();
    order = await startOrderService('catalog-unwell', {
      CATALOG_URL: upstream.url,
      CATALOG_TIMEOUT_MS: '200',
    });
  });
  afterAll(async () => {
    await order.close();
    await upstream.stop();
  });

  it('answers 503 when the catalog answers with a 5xx', async () => {
    upstream.mode = 'bad-gateway';
    await expectCatalogUnavailable(order, 1);
  });

  it('answers 503 once the catalog has not answered within CATALOG_TIMEOUT_MS', async () => {
    upstream.mode = 'hang';
    const started = Date.now();
    await expectCatalogUnavailable(order, 1);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
