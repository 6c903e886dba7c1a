import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpegOf } from '../../services/catalog/test/image-files.ts';
import {
  adminAnnounceButton,
  adminCategoriesButton,
  adminCategoryActionButton,
  adminCategoryButton,
  adminFormButton,
  adminMenuButton,
  adminNewProductButton,
  adminProductButton,
  adminProductEditButton,
  adminProductVisibilityButton,
  announceButton,
} from '../src/admin/buttons.ts';
import { button } from './support/buttons.ts';
import { answerOf, buttonsOf, captionsOf, createChat, textsOf, type Chat } from './support/chat.ts';
import type { ApiCall } from './support/fake-telegram.ts';
import { startHarness, type Harness } from './support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('admin_catalog');
});
afterAll(() => h.close());

/** The merchant: the Telegram user ADMIN_TELEGRAM_IDS names, writing in `language`. */
const merchant = (language: 'en' | 'ru' = 'en') =>
  createChat(h.telegram, () => h.bot, language, { userId: h.shop.adminTelegramId });
const buyer = (language: 'en' | 'ru' = 'en') => createChat(h.telegram, () => h.bot, language);

/** Presses the button labelled `label` on the latest message of this chat that shows one. */
async function press(chat: Chat, label: string | RegExp): Promise<ApiCall[]> {
  const matches = (text: string) => (typeof label === 'string' ? text === label : label.test(text));
  for (const call of [...h.telegram.calls].reverse()) {
    if (call.payload.chat_id !== chat.id) continue;
    const found = buttonsOf(call).find((b) => matches(b.text));
    if (found) return chat.tap(found.callback_data);
  }
  throw new Error(
    `no button ${String(label)}; the last one shows: ${chat
      .lastButtons()
      .map((b) => b.text)
      .join(' | ')}`,
  );
}

const lastText = (calls: ApiCall[]) => [...textsOf(calls), ...captionsOf(calls)].at(-1) ?? '';

interface CatalogProduct {
  id: number;
  name: string;
  priceCents: number;
  stock: number;
  imageUrl: string | null;
}
const publicProduct = async (id: number | string, lang = 'en') => {
  const res = await h.shop.catalog.app.request(`/products/${id}?lang=${lang}`);
  return res.status === 200 ? ((await res.json()) as CatalogProduct) : undefined;
};
const idIn = (text: string) => Number(/[#№](\d+)/.exec(text)?.[1]);

/** /admin → Catalog → New product: the merchant is asked for the category. */
async function startNewProduct(chat: Chat) {
  await chat.send('/admin');
  await press(chat, /Catalog|Каталог/);
  return press(chat, /New product|Новый товар/);
}

describe('the /admin menu', () => {
  it('is the ordinary unknown-command reply for anyone but an admin', async () => {
    const anna = buyer();
    const unknown = textsOf(await anna.send('/nonsense'));
    const admin = textsOf(await anna.send('/admin'));
    expect(admin).toEqual(unknown);
    expect(admin).toEqual(['I do not know that command. /help lists the ones I do.']);
    expect(textsOf(await buyer('ru').send('/admin'))).toEqual([
      'Такой команды я не знаю. /help — список команд.',
    ]);
  });

  it('changes nothing and shows no admin screen for forged merchant buttons', async () => {
    const anna = buyer();
    await anna.send('/start');
    const before = await publicProduct(1);
    const forged = [
      adminMenuButton.build(),
      adminCategoriesButton.build(),
      adminCategoryButton.build({ category: '1', page: 1 }),
      adminCategoryActionButton.build({ category: '1', action: 'hide' }),
      adminProductButton.build({ product: '1' }),
      adminProductVisibilityButton.build({ product: '1', action: 'hide' }),
      adminProductEditButton.build({ product: '1', field: 'price' }),
      adminNewProductButton.build(),
      adminFormButton.build({ tag: 'abcdefgh', choice: 1 }),
      adminAnnounceButton.build(),
      announceButton.build({ tag: 'abcdefgh', action: 'send' }),
    ];
    const start = anna.messageWith(button.categories);
    for (const data of forged) {
      const calls = await anna.tap(data, start);
      expect(
        calls.map((c) => c.method),
        data,
      ).toEqual(['answerCallbackQuery']);
      expect(answerOf(calls)).toBe('This button belongs to an older message and no longer works.');
    }
    expect(await publicProduct(1)).toEqual(before);
    expect(await h.redis.keys(`${h.keyPrefix}conversation:${anna.id}*`)).toEqual([]);
  });

  it('opens for an admin, with the catalog in it', async () => {
    const admin = merchant();
    const menu = await admin.send('/admin');
    expect(lastText(menu)).toBe('🛠 Shop management. What would you like to manage?');
    const catalog = await press(admin, '🗂 Catalog');
    expect(lastText(catalog)).toMatch(/^🗂 Categories, in the order buyers see them/);
    expect(admin.lastButtons().map((b) => b.text)).toEqual(
      expect.arrayContaining(['Coffee · 7', 'Tea · 1', '➕ New category', '➕ New product']),
    );
  });
});

describe('a new product, step by step', () => {
  it('is created with its photo, and a buyer sees it, photo and all, in the catalog', async () => {
    const admin = merchant();
    expect(lastText(await startNewProduct(admin))).toBe(
      '➕ New product. Which category is it in? (/cancel to stop)',
    );
    await press(admin, 'Tea');
    expect(lastText(await admin.send('Oolong'))).toBe('Its name in Russian?');
    expect(lastText(await admin.send('Улун'))).toBe('Its description in English? (or Skip)');
    await admin.send('Half-fermented, from Fujian.');
    expect(lastText(await press(admin, '⏭ Skip'))).toBe('Its price in USD, like 12.50?');
    expect(lastText(await admin.send('12.50'))).toBe('How many are in stock? A whole number, like 10.');
    const saved = lastText(await admin.send('10'));
    expect(saved).toMatch(/^✅ Product #\d+ is saved, and buyers see it\. Last step: send its photo/);
    const id = idIn(saved);

    const picture = new Uint8Array(await jpegOf(900, 600));
    const done = await admin.photo(h.telegram.addFile(picture), { fileSize: picture.byteLength });
    expect(lastText(done)).toBe(`✅ Product #${id} is ready.`);
    expect(h.telegram.downloads.at(-1)).toMatch(/^photos\//);
    expect(await publicProduct(id)).toMatchObject({ name: 'Oolong', priceCents: 1250, stock: 10 });
    expect(await publicProduct(id, 'ru')).toMatchObject({ name: 'Улун' });

    // A buyer finds it in Tea and opens its card: the photo the catalog stored, with the card's text.
    const anna = buyer();
    await anna.send('/catalog');
    await anna.tap(button.category(2, 1));
    expect(anna.lastButtons().map((b) => b.text)).toContain('Oolong · $12.50');
    const card = await anna.tap(button.product(id, 2, 1));
    expect(captionsOf(card)).toEqual([
      'Oolong\n\nHalf-fermented, from Fujian.\n\nPrice: $12.50\nIn stock: 10',
    ]);
    const shown = card.find((c) => c.method === 'editMessageMedia' || c.method === 'sendPhoto');
    expect(Object.values(shown?.uploads ?? {})).toEqual([(await h.shop.photoOf(id)).bytes]);
  });

  it('asks each step again, in Russian, after bad input', async () => {
    const admin = merchant('ru');
    await startNewProduct(admin);
    expect(lastText(await admin.send('Чай'))).toBe(
      'Пожалуйста, выберите кнопкой выше или отправьте /cancel.',
    );
    await press(admin, 'Чай');
    // Fluent writes the number as Russian does: 1 000, with a no-break space.
    expect(lastText(await admin.send('x'.repeat(1000)))).toMatch(
      /^Здесь 1\s000 символов, а помещается не больше 200\. Пришлите, пожалуйста, покороче\.$/,
    );
    expect(lastText(await admin.send('Sencha'))).toBe('Его название на русском?');
    await admin.send('Сенча');
    await press(admin, '⏭ Пропустить');
    expect(lastText(await press(admin, '⏭ Пропустить'))).toBe('Его цена в USD, например 12.50?');
    expect(lastText(await admin.send('-5'))).toBe(
      'Цена должна быть больше нуля. Пришлите цену, например 12.50.',
    );
    expect(lastText(await admin.send('0.001'))).toBe(
      'В цене не больше 2 знаков после запятой. Пришлите, например, 12.50.',
    );
    expect(lastText(await admin.send('ten'))).toBe('Это не цена. Пришлите число, например 12.50.');
    expect(lastText(await admin.send('7,25'))).toBe('Сколько штук на складе? Целое число, например 10.');
    expect(lastText(await admin.send('ten'))).toBe('Это не число. Пришлите целое число, например 10.');
    const id = idIn(lastText(await admin.send('4')));

    const picture = new Uint8Array(await jpegOf(40, 30));
    expect(lastText(await admin.document(h.telegram.addFile(picture), picture.byteLength))).toBe(
      'Это пришло файлом. Пришлите картинку как фото (в Telegram: прикрепите как фото, а не как файл).',
    );
    const downloads = h.telegram.downloads.length;
    expect(lastText(await admin.photo(h.telegram.addFile(picture), { fileSize: 20 * 1024 * 1024 + 1 }))).toBe(
      'Это фото больше 20 МБ — столько бот не может скачать из Telegram. Пришлите, пожалуйста, фото поменьше.',
    );
    expect(h.telegram.downloads.length).toBe(downloads);
    const notAPicture = new TextEncoder().encode('not a picture at all');
    expect(lastText(await admin.photo(h.telegram.addFile(notAPicture)))).toBe(
      'Каталог принимает только картинки JPEG, PNG и WebP. Пришлите, пожалуйста, другое фото.',
    );
    expect((await publicProduct(id))?.imageUrl).toBeNull();
    expect(lastText(await admin.photo(h.telegram.addFile(picture), { fileSize: picture.byteLength }))).toBe(
      `✅ Товар №${id} готов.`,
    );
    expect(await publicProduct(id, 'ru')).toMatchObject({ name: 'Сенча', priceCents: 725, stock: 4 });
    expect((await publicProduct(id))?.imageUrl).toMatch(/^\/products\/\d+\/image\?v=/);
  });
});

describe('editing the catalog', () => {
  /** /admin → Catalog → category → product: its card. */
  async function openProduct(chat: Chat, id: number) {
    await chat.send('/admin');
    await press(chat, '🗂 Catalog');
    return chat.tap(
      adminProductButton.build({ product: String(id) }),
      chat.messageWith(adminCategoriesButton.build()),
    );
  }

  it('changes a price and the stock (set and add), every field from the card', async () => {
    const admin = merchant();
    const card = await openProduct(admin, 3);
    expect(lastText(card)).toContain('Name (English): Coffee 3');
    await press(admin, '💰 Price');
    expect(lastText(await admin.send('0'))).toBe(
      'A price must be more than zero. Please send one, like 12.50.',
    );
    expect(lastText(await admin.send('19.99'))).toBe('✅ Saved.');
    expect(await publicProduct(3)).toMatchObject({ priceCents: 1999 });

    await press(admin, '🛠 Open the product');
    await press(admin, '📦 Set stock');
    await admin.send('8');
    await press(admin, '🛠 Open the product');
    await press(admin, '➕ Add stock');
    expect(lastText(await admin.send('-20'))).toBe(
      'There are not that many in stock to take away. Please send a smaller number.',
    );
    expect(lastText(await admin.send('+4'))).toBe('✅ Saved.');
    expect(await publicProduct(3)).toMatchObject({ stock: 12 });

    await press(admin, '🛠 Open the product');
    await press(admin, '✏️ Name (Russian)');
    await admin.send('Кофе три');
    expect(await publicProduct(3, 'ru')).toMatchObject({ name: 'Кофе три' });
  });

  it('hides a product from buyers and shows it again', async () => {
    const admin = merchant();
    await openProduct(admin, 4);
    const hidden = await press(admin, '🙈 Hide');
    expect(answerOf(hidden)).toBe('🙈 Hidden from buyers now.');
    expect(lastText(hidden)).toContain('🙈 Hidden from buyers');
    expect(await publicProduct(4)).toBeUndefined();
    const anna = buyer();
    await anna.send('/catalog');
    await anna.tap(button.category(1, 1));
    expect(
      anna
        .lastButtons()
        .map((b) => b.text)
        .join(' '),
    ).not.toContain('Coffee 4');

    await press(admin, '👁 Show');
    expect(await publicProduct(4)).toMatchObject({ name: 'Coffee 4' });
  });

  it('creates a category, renames it, moves it up and hides it', async () => {
    const admin = merchant();
    await admin.send('/admin');
    await press(admin, '🗂 Catalog');
    await press(admin, '➕ New category');
    expect(lastText(await admin.send('x'.repeat(201)))).toBe(
      'That is 201 characters long: at most 200 fit. Please send a shorter one.',
    );
    await admin.send('Spices');
    expect(lastText(await admin.send('Специи'))).toBe(
      '✅ Category “Spices” is created; it comes last in the catalog.',
    );
    const categories = async () =>
      (
        (await (await h.shop.catalog.app.request('/categories?lang=ru')).json()) as {
          items: { name: string }[];
        }
      ).items.map((c) => c.name);
    expect((await categories()).at(-1)).toBe('Специи');

    await press(admin, '🗂 Open the category');
    await press(admin, '✏️ Name (Russian)');
    await admin.send('Пряности');
    await press(admin, '🗂 Open the category');
    await press(admin, '⬆️ Up');
    expect((await categories()).slice(-2)).toEqual(['Пряности', 'Чай']);

    await press(admin, '🙈 Hide');
    expect(await categories()).not.toContain('Пряности');
    await press(admin, '👁 Show');
    expect(await categories()).toContain('Пряности');
  });
});
