import { describe, expect, it } from 'vitest';
import { MAX_INVOICE_DESCRIPTION, MAX_INVOICE_TITLE, renderInvoice, type InvoiceRequest } from '@shop/shared';

const tea: InvoiceRequest = {
  orderId: 12,
  method: 'telegram',
  invoicePayload: 'order:12',
  items: [
    { productId: 1, name: 'Green tea', unitPriceCents: 450, quantity: 2 },
    { productId: 2, name: 'Teapot', unitPriceCents: 2_990, quantity: 1 },
  ],
  totalCents: 3_890,
  currency: 'EUR',
  languageCode: 'en',
};
const stars: InvoiceRequest = {
  ...tea,
  method: 'stars',
  items: [
    { productId: 41, name: 'E-book', unitPriceCents: 100, quantity: 1 },
    { productId: 43, name: 'Sticker pack', unitPriceCents: 25, quantity: 2 },
  ],
  totalCents: 150,
  currency: 'XTR',
};
const settings = { providerToken: 'provider-token' };

describe('an invoice', () => {
  it('names the order, lists its lines, and prices each line in a provider currency', () => {
    expect(renderInvoice(tea, settings)).toEqual({
      title: 'Order #12',
      description: 'Green tea × 2\nTeapot × 1',
      payload: 'order:12',
      currency: 'EUR',
      prices: [
        { label: 'Green tea × 2', amount: 900 },
        { label: 'Teapot × 1', amount: 2_990 },
      ],
      providerToken: 'provider-token',
    });
  });

  it('takes exactly one price in Telegram Stars, the total, and no provider token', () => {
    expect(renderInvoice({ ...stars, languageCode: 'ru-RU' }, settings)).toMatchObject({
      title: 'Заказ №12',
      description: 'E-book × 1\nSticker pack × 2',
      currency: 'XTR',
      prices: [{ label: 'Заказ №12', amount: 150 }],
      providerToken: '',
    });
    expect(renderInvoice(stars, {})?.providerToken).toBe('');
  });

  it('cannot be made for the provider without its token', () => {
    expect(renderInvoice(tea, {})).toBeUndefined();
    expect(renderInvoice(tea, { providerToken: '' })).toBeUndefined();
  });

  it('charges the total as one price when the lines do not add up to it', () => {
    expect(renderInvoice({ ...tea, totalCents: 3_500 }, settings)?.prices).toEqual([
      { label: 'Order #12', amount: 3_500 },
    ]);
  });

  it("shows the first line's product photo only when the shop has a public address for images", () => {
    expect(renderInvoice(tea, settings)).not.toHaveProperty('photoUrl');
    expect(
      renderInvoice(tea, { ...settings, publicCatalogUrl: 'https://shop.example/catalog/' })?.photoUrl,
    ).toBe('https://shop.example/catalog/products/1/image');
  });

  it("keeps within Telegram's limits: a long order lists what fits and counts the rest", () => {
    const items = Array.from({ length: 20 }, (_, index) => ({
      productId: index + 1,
      name: `A very long product name number ${index + 1} that goes on and on and on and on`,
      unitPriceCents: 100,
      quantity: 1,
    }));
    const invoice = renderInvoice(
      { ...tea, orderId: 999_999_999_999_999, items, totalCents: 2_000 },
      settings,
    )!;
    expect(invoice.title.length).toBeLessThanOrEqual(MAX_INVOICE_TITLE);
    expect(invoice.description.length).toBeLessThanOrEqual(MAX_INVOICE_DESCRIPTION);
    const lines = invoice.description.split('\n');
    expect(lines.at(-1)).toBe(`… and ${20 - (lines.length - 1)} more`);
    expect(lines[0]).toMatch(/^A very long product name number 1 .*… × 1$/);
    expect(invoice.prices).toHaveLength(20);
    expect(
      renderInvoice({ ...tea, items, totalCents: 2_000, languageCode: 'ru' }, settings)?.description,
    ).toMatch(/\n… и ещё \d+$/);
  });
});
