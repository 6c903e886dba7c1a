/**
 * A day of the shop run from the merchant's chat, with a buyer's chat beside it: the five
 * services, the bot and the Telegram sandbox as real processes on the local PostgreSQL, Redis and
 * RabbitMQ, and both people typing and tapping through the sandbox's chat API. The merchant is
 * the sandbox's shop owner, named in ADMIN_TELEGRAM_IDS as `npm start` names them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_OWNER } from '../../scripts/lib/start-env.ts';
import { jpegOf } from '../../services/catalog/test/image-files.ts';
import {
  addToCart,
  answer,
  buyNow,
  cardPhoto,
  checkoutCart,
  chooseQuantity,
  confirmCheckout,
  escaped,
  openProduct,
  tap,
  told,
  typeDelivery,
} from '../support/chat-steps.ts';
import { labelsOf, SandboxChat, textOf } from '../support/sandbox.ts';
import { telegramToken } from '../support/shop-api.ts';
import { startShop, type Shop } from '../support/shop.ts';

const SLOW = 30_000;
/** The no-break space Russian money is written with, before the currency. */
const NBSP = '\u00a0';
const rub = (amount: string) => `${amount}${NBSP}$`;

const OLGA = { name: 'Ольга Иванова', phone: '+7 999 123-45-67', address: 'Невский проспект, 1, кв. 2' };

let shop: Shop;
beforeAll(async () => {
  shop = await startShop({
    suite: 'merchant_journey',
    env: { ADMIN_TELEGRAM_IDS: String(SANDBOX_OWNER.id) },
  });
}, 120_000);
afterAll(async () => {
  await shop.close();
});

describe('a day of the shop, run from the chat', () => {
  it(
    'the merchant adds a product with a photo and restocks; a buyer orders; the merchant ships, delivers, cancels and refunds, announces, and reads the stats',
    { timeout: 300_000 },
    async () => {
      const merchant = await SandboxChat.create(
        shop.sandbox,
        SANDBOX_OWNER.firstName,
        SANDBOX_OWNER.languageCode,
        SANDBOX_OWNER.id,
      );
      const olga = await SandboxChat.create(shop.sandbox, 'Ольга', 'ru');

      // 1. Morning: a new product, step by step, its photo sent in the chat.
      await merchant.send('/admin');
      const menu = await merchant.newest(/^🛠 Shop management/);
      expect(labelsOf(menu)).toEqual(expect.arrayContaining(['📦 Orders', '🗂 Catalog', '📊 Statistics']));
      await tap(merchant, '🗂 Catalog', /^🗂 Categories, in the order buyers see them/);
      await tap(merchant, '➕ New product', /Which category is it in\?/);
      await merchant.press('Home & Kitchen');
      await answer(merchant, /Its name in English\?/, 'Brass Samovar');
      await answer(merchant, /Its name in Russian\?/, 'Латунный самовар');
      await answer(merchant, /Its description in English\?/, 'Five litres, polished by hand.');
      await answer(merchant, /Its description in Russian\?/, 'Пять литров, ручная полировка.');
      await answer(merchant, /Its price in USD, like 12\.50\?/, '45.50');
      await answer(merchant, /How many are in stock\?/, '5');
      const saved = await merchant.newest(
        /Product #\d+ is saved, and buyers see it\. Last step: send its photo/,
      );
      const samovarId = Number(/Product #(\d+)/.exec(textOf(saved))?.[1]);
      await merchant.sendPhoto(await jpegOf(640, 480));
      await merchant.newest(new RegExp(`^✅ Product #${samovarId} is ready\\.$`));
      const samovarCard = await tap(
        merchant,
        '🛠 Open the product',
        new RegExp(`^🛠 Product #${samovarId}\\n`),
      );
      expect(samovarCard.photo, 'the product card shows its photo').toBeDefined();
      expect(textOf(samovarCard)).toContain(
        [
          'Name (English): Brass Samovar',
          'Name (Russian): Латунный самовар',
          'Description (English): Five litres, polished by hand.',
          'Description (Russian): Пять литров, ручная полировка.',
          'Price: $45.50',
          'In stock: 5',
          'Category: Home & Kitchen',
          'Photo: yes',
        ].join('\n'),
      );

      // ... and ten more copies of a book that sells.
      const warAndPeace = /^🛠 Product #\d+\n[\s\S]*Name \(English\): War and Peace\n/;
      await merchant.send('/admin');
      await merchant.newest(/^🛠 Shop management/);
      await tap(merchant, '🗂 Catalog', /^🗂 Categories/);
      await tap(merchant, /^Books · 6$/, /^🗂 Books \/ Книги/);
      await tap(merchant, 'War and Peace · $24.99 · 75', warAndPeace);
      await merchant.press('➕ Add stock');
      await answer(merchant, /In stock now: 75\. How many to add\?/, '10');
      await merchant.newest(/^✅ Saved\.$/);
      expect(textOf(await tap(merchant, '🛠 Open the product', warAndPeace))).toContain('In stock: 85');

      // 2. A buyer who never registered finds the samovar with its photo, and takes a book too.
      await olga.send('/start');
      await olga.waitFor(/Добро пожаловать в магазин/);
      await olga.send('самовар');
      await olga.waitFor(/Найдено по запросу «самовар»: 1/);
      await olga.press(`Латунный самовар · ${rub('45,50')}`);
      await olga.waitFor(/^Латунный самовар\n/);
      const photo = await cardPhoto(olga, 'Латунный самовар');
      expect(photo.status).toBe(200);
      expect(photo.headers.get('content-type')).toMatch(/^image\//);
      expect(await addToCart(olga)).toBe('🛒 Добавлено: Латунный самовар × 1. В корзине: 1.');
      await openProduct(olga, /^Книги/, /^Война и мир · /);
      expect(await addToCart(olga)).toBe('🛒 Добавлено: Война и мир × 1. В корзине: 1.');

      await olga.send('/cart');
      await olga.waitFor(/^🛒 Ваша корзина:/);
      expect(await checkoutCart(olga)).toBe('delivery');
      await typeDelivery(olga, OLGA);
      const first = await confirmCheckout(olga, rub('70,49'));
      const paid = await olga.waitFor(new RegExp(`^✅ Заказ №${first} оплачен\\.`), SLOW);
      expect(textOf(paid)).toBe(
        [
          `✅ Заказ №${first} оплачен.`,
          '',
          `• Латунный самовар × 1 — ${rub('45,50')}`,
          `• Война и мир × 1 — ${rub('24,99')}`,
          `Итого: ${rub('70,49')}`,
        ].join('\n'),
      );

      // 3. The merchant hears of it, opens it from the alert, ships it, then marks it delivered.
      const alert = await merchant.waitFor(new RegExp(`^🛒 New order #${first}: paid`), SLOW);
      expect(textOf(alert)).toBe(
        [
          `🛒 New order #${first}: paid`,
          `Buyer: ${OLGA.name}`,
          '• Латунный самовар × 1 — $45.50',
          '• Война и мир × 1 — $24.99',
          'Total: $70.49',
          `Delivery: ${OLGA.name}, ${OLGA.phone}`,
          OLGA.address,
        ].join('\n'),
      );
      expect(labelsOf(alert)).toEqual(['Open order']);
      await merchant.press('Open order');
      const opened = await merchant.waitFor(new RegExp(`^📦 Order #${first} — ✅ paid\\n`));
      expect(textOf(opened)).toContain(['🚚 Deliver to:', OLGA.name, OLGA.phone, OLGA.address].join('\n'));
      expect(labelsOf(opened)).toEqual(['🚚 Ship', '✖️ Cancel order', '⬅️ Back']);

      await merchant.press('🚚 Ship');
      await answer(
        merchant,
        new RegExp(`Shipping order #${first}\\. A tracking note for the buyer`),
        'СДЭК 1234567890',
      );
      const shipped = await merchant.waitFor(
        new RegExp(`^✅ Order #${first} is shipped; the buyer is told\\.`),
      );
      expect(textOf(shipped)).toContain(`📦 Order #${first} — 🚚 shipped`);
      expect(textOf(shipped)).toContain('📝 Tracking note: СДЭК 1234567890');
      const onItsWay = await olga.waitFor(new RegExp(`^📦 Заказ №${first} отправлен\\.`), SLOW);
      expect(textOf(onItsWay).split('\n').slice(0, 2)).toEqual([
        `📦 Заказ №${first} отправлен.`,
        'Отслеживание: СДЭК 1234567890',
      ]);

      expect(await merchant.pressForAnswer('📬 Delivered')).toBe(`✅ Order #${first} is delivered.`);
      const delivered = await merchant.newest(new RegExp(`^📦 Order #${first} — 📦 delivered\\n`));
      expect(labelsOf(delivered)).toEqual(['⬅️ Back']);
      const arrived = await olga.waitFor(new RegExp(`^🎉 Заказ №${first} доставлен\\.`), SLOW);
      expect(textOf(arrived).split('\n')[0]).toBe(`🎉 Заказ №${first} доставлен. Спасибо за покупку!`);

      // 4. A second order, paid; the merchant cancels it from the orders desk with a reason.
      await openProduct(olga, /^Книги/, /^Война и мир · /);
      await chooseQuantity(olga, 2);
      expect(await buyNow(olga)).toBe('summary');
      const second = await confirmCheckout(olga, rub('49,98'));
      await olga.waitFor(new RegExp(`^✅ Заказ №${second} оплачен\\.`), SLOW);

      await merchant.waitFor(new RegExp(`^🛒 New order #${second}: paid`), SLOW);
      await merchant.send('/admin');
      await merchant.newest(/^🛠 Shop management/);
      await tap(merchant, '📦 Orders', /^📦 To ship: 1 in all, newest first\./);
      await tap(
        merchant,
        new RegExp(`^#${second} · \\$49\\.98 · `),
        new RegExp(`^📦 Order #${second} — ✅ paid\\n`),
      );
      await merchant.press('✖️ Cancel order');
      const reason = 'Оба экземпляра повреждены при хранении';
      await answer(
        merchant,
        new RegExp(`Cancelling order #${second}: it is paid, so the buyer's payment will be refunded\\.`),
        reason,
      );
      const cancelled = await merchant.waitFor(
        new RegExp(`^✅ Order #${second} is cancelled; the buyer is told\\.`),
      );
      expect(textOf(cancelled)).toContain(
        [
          '✖️ Cancelled by the shop.',
          `Reason given: ${reason}`,
          "💸 It had been paid, so the buyer's payment is refunded.",
        ].join('\n'),
      );

      const cancelledNews = await olga.waitFor(new RegExp(`^✖️ Заказ №${second} отменён магазином\\.`), SLOW);
      expect(textOf(cancelledNews)).toBe(
        [
          `✖️ Заказ №${second} отменён магазином.`,
          `Причина: ${reason}`,
          'Оплата будет возвращена.',
          '',
          `• Война и мир × 2 — ${rub('49,98')}`,
          `Итого: ${rub('49,98')}`,
        ].join('\n'),
      );
      const refunded = new RegExp(
        `^💸 Оплата заказа №${second} \\(${escaped(rub('49,98'))}\\) возвращена\\.`,
      );
      await olga.waitFor(refunded, SLOW);

      // Refunded once, and the two books are on sale again.
      const token = await telegramToken(shop, olga.user);
      const payments = await fetch(`${shop.url('payment')}/payments?orderId=${second}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(await payments.json()).toMatchObject([
        { orderId: second, status: 'refunded', amountCents: 4998 },
      ]);
      const [refunds] = await shop.query<{ count: number }>(
        'payment',
        `select count(*)::int as count from outbox
          where type = 'payment.refunded' and (payload->'data'->>'orderId')::bigint = $1`,
        [second],
      );
      expect(refunds?.count).toBe(1);
      await merchant.send('/admin');
      await merchant.newest(/^🛠 Shop management/);
      await tap(merchant, '🗂 Catalog', /^🗂 Categories/);
      const books = await tap(merchant, /^Books · 6$/, /^🗂 Books \/ Книги/);
      // 75 + 10 restocked, one sold in the first order; the two of the cancelled one are back.
      expect(labelsOf(books)).toContain('War and Peace · $24.99 · 84');

      // 5. An announcement to every buyer with a chat: Olga, and Erik, who only looked at his orders.
      const erik = await SandboxChat.create(shop.sandbox, 'Erik');
      await erik.send('/orders');
      await erik.waitFor(/You have no orders yet/);
      const news = 'Samovars are back in stock: come and see them before the weekend!';
      await merchant.send('/admin');
      await merchant.newest(/^🛠 Shop management/);
      await tap(merchant, '📣 Announcement', /^📣 Write the announcement/);
      await merchant.send(news);
      await merchant.newest(/^☝️ This is what buyers will see\. Send it to every buyer\?$/);
      // The question becomes the count of buyers; the progress and the final count follow below it.
      await merchant.press('📣 Send');
      await merchant.waitFor(/^📣 Sending to 2 buyers\. The progress follows below\.$/);
      const count = await merchant.waitFor(/^✅ Announcement #\d+: sent to/, SLOW);
      expect(textOf(count)).toMatch(/^✅ Announcement #\d+: sent to 2 of 2 buyers\.$/);
      for (const buyer of [olga, erik])
        expect(await told(buyer, new RegExp(`^${escaped(news)}$`))).toHaveLength(1);

      // 6. The day in figures: two orders, one paid and delivered; the refunded one brings nothing.
      await merchant.send('/stats');
      const stats = await merchant.newest(/^📊 Shop statistics/);
      const day = [
        'Orders: 2, paid: 1',
        'Revenue: $70.49',
        'Buyers: 1, new: 1',
        'By status: 📦 delivered 1 · ✖️ cancelled 1',
      ];
      const top = ['1. Латунный самовар — 1 pc, $45.50', '2. Война и мир — 1 pc, $24.99'];
      expect(textOf(stats)).toBe(
        [
          '📊 Shop statistics. Days are counted in UTC, by when an order was placed; revenue is what paid orders brought in (refunded ones not).',
          '',
          'Today',
          ...day,
          '',
          'Last 7 days',
          ...day,
          '',
          'Last 30 days',
          ...day,
          '',
          '🏆 Top products, last 30 days',
          'By units sold:',
          ...top,
          'By revenue:',
          ...top,
        ].join('\n'),
      );

      // The buyer heard of each step once, in Russian only; no press was left unanswered.
      expect(await told(olga, refunded)).toHaveLength(1);
      expect(await told(olga, new RegExp(`Заказ №${second} отменён`))).toHaveLength(1);
      for (const text of (await olga.messages()).filter((m) => m.from === 'bot').map(textOf))
        if (text !== news) expect(text).not.toMatch(/\$\d|Order #|Total|Reason|Tracking/);
      for (const chat of [merchant, olga, erik])
        expect((await shop.sandbox.callbacks(chat.user.id)).filter((c) => !c.answered)).toEqual([]);
    },
  );
});
