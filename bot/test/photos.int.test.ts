import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpegOf } from '../../services/catalog/test/image-files.ts';
import { button } from './support/buttons.ts';
import { answerOf, captionsOf, createChat, textsOf, type Chat } from './support/chat.ts';
import type { ApiCall } from './support/fake-telegram.ts';
import { startHarness, type Harness } from './support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('photos');
  // Coffee 1 and 2 have photos, Coffee 3 has none.
  await h.shop.setPhoto(1, await jpegOf(1200, 900));
  await h.shop.setPhoto(2, await jpegOf(600, 600));
});
afterAll(() => h.close());

const chat = () => createChat(h.telegram, () => h.bot);
const methodsOf = (calls: ApiCall[]) => calls.map((c) => c.method).filter((m) => m !== 'answerCallbackQuery');
const mediaOf = (call: ApiCall | undefined) =>
  (call?.payload.media ?? {}) as { type?: string; media?: string };
const callOf = (calls: ApiCall[], method: string) => calls.find((c) => c.method === method);
const fileIdOf = (call: ApiCall | undefined) =>
  (call?.result as { photo: { file_id: string }[] } | undefined)?.photo.at(-1)?.file_id;

/** /catalog, then the first page of coffees: one text message listing them. */
async function openCoffees(anna: Chat) {
  await anna.send('/catalog');
  await anna.tap(button.category(1, 1));
  return anna.messageWith(button.product(1, 1, 1));
}

describe('product photos in the chat', () => {
  it('turns the list into the product card with its photo, uploaded once from the catalog', async () => {
    const anna = chat();
    const list = await openCoffees(anna);
    const before = h.telegram.uploads();

    const card = await anna.tap(button.product(1, 1, 1));

    expect(methodsOf(card)).toEqual(['editMessageMedia']);
    const edit = callOf(card, 'editMessageMedia')!;
    expect(edit.payload.message_id).toBe(list);
    expect(mediaOf(edit).type).toBe('photo');
    expect(captionsOf(card)).toEqual(['Coffee 1\n\nCoffee 1 — description\n\nPrice: $10.50\nIn stock: 5']);
    expect(anna.lastButtons().map((b) => b.callback_data)).toEqual([
      button.card(1, 0, 1),
      button.card(1, 1, 1),
      button.card(1, 2, 1),
      button.addToCart(1, 1),
      button.buy(1, 1),
      button.category(1, 1),
      button.cart,
    ]);
    // The picture uploaded is the one the catalog serves.
    expect(h.telegram.uploads()).toBe(before + 1);
    const uploaded = Object.values(edit.uploads ?? {});
    expect(uploaded).toEqual([(await h.shop.photoOf(1)).bytes]);
  });

  it('goes back from a photo card to the list as a new text message, and the old card goes', async () => {
    const anna = chat();
    await openCoffees(anna);
    await anna.tap(button.product(1, 1, 1));
    const card = anna.messageWith(button.buy(1));

    const back = await anna.tap(button.category(1, 1), card);

    expect(methodsOf(back)).toEqual(['sendMessage', 'deleteMessage']);
    expect(textsOf(back)).toEqual(['🛍 Products\nPage 1 of 2']);
    expect(callOf(back, 'deleteMessage')!.payload.message_id).toBe(card);
    expect(h.telegram.messageIn(anna.id, card)).toBeUndefined();
    // Browsing goes on in the new message.
    const list = (callOf(back, 'sendMessage')!.result as { message_id: number }).message_id;
    const next = await anna.tap(button.category(1, 2));
    expect(methodsOf(next)).toEqual(['editMessageText']);
    expect(callOf(next, 'editMessageText')!.payload.message_id).toBe(list);
  });

  it('sends a photo it uploaded before by its file_id: for the same user, another user, and another replica', async () => {
    const anna = chat();
    await openCoffees(anna);
    const first = await anna.tap(button.product(2, 1, 1));
    const fileId = fileIdOf(callOf(first, 'editMessageMedia'));
    expect(fileId).toBeDefined();
    const uploads = h.telegram.uploads();

    await anna.tap(button.category(1, 1));
    const again = await anna.tap(button.product(2, 1, 1));
    expect(mediaOf(callOf(again, 'editMessageMedia')).media).toBe(fileId);

    const boris = chat();
    await openCoffees(boris);
    expect(mediaOf(callOf(await boris.tap(button.product(2, 1, 1)), 'editMessageMedia')).media).toBe(fileId);

    const restarted = h.makeBot();
    const clara = createChat(h.telegram, () => restarted);
    await openCoffees(clara);
    expect(mediaOf(callOf(await clara.tap(button.product(2, 1, 1)), 'editMessageMedia')).media).toBe(fileId);

    expect(h.telegram.uploads()).toBe(uploads);
  });

  it('puts the other product photo on the card when a second press on the list arrives after the first', async () => {
    const anna = chat();
    const list = await openCoffees(anna);
    await anna.tap(button.product(1, 1, 1));
    // The second of two quick taps: Telegram sends the message as it is now, a photo card.
    const second = await anna.tap(button.product(2, 1, 1), list);
    expect(methodsOf(second)).toEqual(['editMessageMedia']);
    expect(callOf(second, 'editMessageMedia')!.payload.message_id).toBe(list);
    expect(captionsOf(second)[0]).toMatch(/^Coffee 2\n/);
    expect(h.telegram.messageIn(anna.id, list)?.caption).toMatch(/^Coffee 2\n/);
  });

  it('changes only the caption when the photo already shown is the same one', async () => {
    const anna = chat();
    const list = await openCoffees(anna);
    await anna.tap(button.product(1, 1, 1));
    await anna.tap(button.category(1, 1), list);
    const shown = await anna.tap(button.product(1, 1, 1));
    const reopened = await anna.tap(button.product(1, 1, 1), anna.messageWith(button.buy(1)));
    expect(methodsOf(shown)).toEqual(['editMessageMedia']);
    expect(methodsOf(reopened)).toEqual(['editMessageCaption']);
  });

  it('changes the quantity on a photo card with ➖/➕ by editing its caption and buttons, the photo kept', async () => {
    const anna = chat();
    await openCoffees(anna);
    await anna.tap(button.product(1, 1, 1));
    const card = anna.messageWith(button.buy(1, 1));
    const photo = h.telegram.messageIn(anna.id, card)?.photo;
    expect(photo).toBeDefined();

    const plus = await anna.tap(button.card(1, 2, 1));
    expect(methodsOf(plus)).toEqual(['editMessageCaption']);
    expect(callOf(plus, 'editMessageCaption')!.payload.message_id).toBe(card);
    expect(captionsOf(plus)).toEqual(['Coffee 1\n\nCoffee 1 — description\n\nPrice: $10.50\nIn stock: 5']);
    expect(
      anna
        .lastButtons()
        .map((b) => b.text)
        .slice(0, 3),
    ).toEqual(['➖', '2', '➕']);
    expect(anna.lastButtons().map((b) => b.callback_data)).toContain(button.buy(1, 2));

    // Past the stock: the card stays at the most there is, still the same photo message.
    for (let n = 3; n <= 5; n++) await anna.tap(button.card(1, n, 1));
    const past = await anna.tap(button.card(1, 6, 1));
    expect(answerOf(past)).toBe('Only 5 in stock: please choose at most 5.');
    expect(methodsOf(past)).toEqual(['editMessageCaption']);
    expect(anna.lastButtons()[1]!.text).toBe('5');
    expect(h.telegram.messageIn(anna.id, card)?.photo).toEqual(photo);
  });

  it('adds to the cart from a photo card without touching it, and opens the cart from it as a new text message', async () => {
    const anna = chat();
    await openCoffees(anna);
    await anna.tap(button.product(2, 1, 1));
    const card = anna.messageWith(button.buy(2, 1));
    await anna.tap(button.card(2, 2, 1));

    const added = await anna.tap(button.addToCart(2, 2));
    expect(answerOf(added)).toBe('🛒 Added 2 × Coffee 2. In your cart: 2.');
    expect(methodsOf(added)).toEqual([]);

    const cart = await anna.tap(button.cart, card);
    expect(methodsOf(cart)).toEqual(['sendMessage', 'deleteMessage']);
    expect(textsOf(cart)).toEqual(['🛒 Your cart:\n1. Coffee 2 × 2 — $22.00\nTotal: $22.00']);
    expect(h.telegram.messageIn(anna.id, card)).toBeUndefined();
  });

  it('starts Buy now from a photo card below it, the card left as it is', async () => {
    const anna = chat();
    await openCoffees(anna);
    await anna.tap(button.product(1, 1, 1));
    const card = anna.messageWith(button.buy(1, 1));
    const caption = h.telegram.messageIn(anna.id, card)?.caption;

    const bought = await anna.tap(button.buy(1, 1));
    expect(methodsOf(bought)).toEqual(['sendMessage']);
    expect(textsOf(bought)).toEqual([
      "🚚 Where should we deliver your order? First, the recipient's name. (/cancel to stop)",
    ]);
    expect(h.telegram.messageIn(anna.id, card)?.caption).toBe(caption);
    await anna.send('/cancel');
  });

  it('shows a product without a photo as text', async () => {
    const anna = chat();
    await openCoffees(anna);
    const card = await anna.tap(button.product(3, 1, 1));
    expect(methodsOf(card)).toEqual(['editMessageText']);
    expect(textsOf(card)).toEqual(['Coffee 3\n\nCoffee 3 — description\n\nPrice: $11.50\nIn stock: 5']);
  });

  it('uploads a new photo once the merchant replaces it', async () => {
    const anna = chat();
    await openCoffees(anna);
    await anna.tap(button.product(4, 1, 1));
    await h.shop.setPhoto(4, await jpegOf(300, 200));
    await anna.tap(button.category(1, 1), anna.messageWith(button.buy(4)));
    const uploads = h.telegram.uploads();
    const card = await anna.tap(button.product(4, 1, 1));
    expect(h.telegram.uploads()).toBe(uploads + 1);
    await h.shop.setPhoto(4, await jpegOf(200, 300));
    await anna.tap(button.category(1, 1), anna.messageWith(button.buy(4)));
    await anna.tap(button.product(4, 1, 1));
    expect(h.telegram.uploads()).toBe(uploads + 2);
    expect(fileIdOf(callOf(card, 'editMessageMedia'))).toBeDefined();
  });

  it('uploads the photo again when Telegram refuses a file_id it gave before', async () => {
    const anna = chat();
    await openCoffees(anna);
    await anna.tap(button.product(1, 1, 1));
    await anna.tap(button.category(1, 1), anna.messageWith(button.buy(1)));
    const uploads = h.telegram.uploads();
    h.telegram.failures.set('editMessageMedia', {
      error_code: 400,
      description: 'Bad Request: wrong file identifier/HTTP URL specified',
    });

    const card = await anna.tap(button.product(1, 1, 1));

    expect(methodsOf(card)).toEqual(['editMessageMedia', 'editMessageMedia']);
    expect(h.telegram.uploads()).toBe(uploads + 1);
    // The new file_id is the one kept.
    await anna.tap(button.category(1, 1), anna.messageWith(button.buy(1)));
    const next = await anna.tap(button.product(1, 1, 1));
    expect(mediaOf(callOf(next, 'editMessageMedia')).media).toBe(fileIdOf(card.at(-2)));
  });

  it('shortens a long description so that the caption fits Telegram and still shows the price', async () => {
    await h.shop.editProduct(5, { description: `A long story. ${'Very good coffee. '.repeat(100)}` });
    await h.shop.setPhoto(5, await jpegOf(100, 100));
    const anna = chat();
    await openCoffees(anna);
    const [caption] = captionsOf(await anna.tap(button.product(5, 1, 1)));
    expect(caption!.length).toBeLessThanOrEqual(1024);
    expect(caption).toMatch(/^Coffee 5\n\nA long story\. Very good coffee\./);
    expect(caption).toMatch(/…\n\nPrice: \$12\.50\nIn stock: 5$/);
  });
});
