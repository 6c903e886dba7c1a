import { createInvoicePhotoCheck } from '@shop/shared';
import { createTestTokenIssuer, testDatabaseName, testLogger } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogAdmin, startCatalogForTest, type StartedCatalog } from '../../catalog/test/start.ts';
import { buyer, createRig, eventually, type Rig } from './harness.ts';

interface Product {
  id: number;
  name: string;
  priceCents: number;
  currency: string;
  categoryId: number;
  imageUrl: string | null;
}

// The real catalog, seeded with the demo (every demo product has its picture), serving its
// public routes over HTTP as it would to Telegram.
let catalog: StartedCatalog;
let catalogUrl: string;
let rig: Rig;
let ebook: Product;
let unpictured: Product;

beforeAll(async () => {
  const issuer = await createTestTokenIssuer();
  catalog = await startCatalogForTest({
    issuer,
    suite: `notification_photos_${crypto.randomUUID().slice(0, 8)}`,
    names: { dbName: testDatabaseName('notification_photos_catalog') },
  });
  catalogUrl = (await catalog.serve()).url;
  const { items } = (await (await fetch(`${catalogUrl}/products?limit=50`)).json()) as { items: Product[] };
  ebook = items.find((item) => item.name === 'E-book: The Art of Tea')!;
  const add = catalogAdmin(catalog, await issuer.sign({ role: 'admin' }));
  const res = await add('POST', '/products', {
    name: 'Postcard',
    priceCents: 10,
    currency: 'XTR',
    stock: 5,
    categoryId: ebook.categoryId,
  });
  unpictured = (await res.json()) as Product;
  rig = await createRig('invoice_photos', { PUBLIC_CATALOG_URL: catalogUrl });
  await rig.start();
});
afterAll(async () => {
  await rig.close();
  await catalog.close();
});

/** The invoice a linked buyer gets for one unit of each of `products`, in Stars. */
async function invoiceFor(...products: Product[]) {
  const user = buyer({
    purchase: {
      items: products.map(({ id, name, priceCents }) => ({
        productId: id,
        name,
        unitPriceCents: priceCents,
        quantity: 1,
      })),
      currency: 'XTR',
    },
  });
  const requested = user.requested('stars');
  await rig.publish(user.linked, requested);
  expect(await rig.settled(requested.id)).toMatchObject({ status: 'sent' });
  return eventually(() => {
    const [call] = rig.telegram.callsTo(user.chatId).filter((one) => one.method === 'sendInvoice');
    if (!call) throw new Error('no invoice yet');
    return call.body;
  });
}

describe("an invoice's photo", () => {
  it("is the first line's product photo, at the catalog's public address", async () => {
    expect(ebook.imageUrl).not.toBeNull();

    const invoice = await invoiceFor(ebook, unpictured);

    expect(invoice.photo_url).toBe(`${catalogUrl}/products/${ebook.id}/image`);
    const photo = await fetch(invoice.photo_url as string);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('Content-Type')).toBe('image/jpeg');
  });

  it('is left out when the first product has no photo', async () => {
    expect(unpictured.imageUrl).toBeNull();

    const invoice = await invoiceFor(unpictured, ebook);

    expect(invoice).not.toHaveProperty('photo_url');
    expect(invoice.title).toMatch(/^Order #\d+$/);
  });

  it('is left out when the catalog does not answer, rather than shown broken', async () => {
    const check = createInvoicePhotoCheck({ logger: testLogger(), timeoutMs: 500 });
    const invoice = {
      title: 'Order #1',
      description: 'Postcard × 1',
      payload: 'order:1',
      currency: 'XTR',
      prices: [{ label: 'Order #1', amount: 10 }],
      providerToken: '',
    };
    // Port 9 (discard) is closed on a test machine: the connection is refused.
    const unreachable = await check({ ...invoice, photoUrl: 'http://127.0.0.1:9/products/1/image' });
    expect(unreachable).toEqual(invoice);
    const reachable = await check({ ...invoice, photoUrl: `${catalogUrl}/products/${ebook.id}/image` });
    expect(reachable).toEqual({ ...invoice, photoUrl: `${catalogUrl}/products/${ebook.id}/image` });
  });
});
