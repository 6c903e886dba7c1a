/**
 * A Russian buyer's whole purchase, as real processes (the five services, the bot and the Telegram
 * sandbox) on the local PostgreSQL, Redis and RabbitMQ: every message that reaches the chat, the
 * bot's and the notification service's receipts alike, is Russian, with money written the Russian
 * way. Nothing is handed a language by the test: it comes from the chat's Telegram language_code,
 * through the bot's sign-in, auth's link and its event, to notification.
 */
import { eventually, uniqueEmail } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxChat } from '../support/sandbox.ts';
import { startShop, type Shop } from '../support/shop.ts';

// One laptop ($1,299.00) is paid; two ($2,598.00) are above the simulated provider's limit.
const DECLINE_ABOVE_CENTS = 150_000;
const SLOW = 30_000;
/** The no-break space Russian money is written with, between thousands and before the currency. */
const NBSP = '\u00a0';

let shop: Shop;
beforeAll(async () => {
  shop = await startShop({
    suite: 'buyer_language',
    env: { PAYMENT_DECLINE_ABOVE_CENTS: String(DECLINE_ABOVE_CENTS) },
  });
}, 120_000);
afterAll(async () => {
  await shop.close();
});

/** /start -> Регистрация -> e-mail -> password, in the Russian texts. */
async function registerInRussian(chat: SandboxChat, email: string) {
  await chat.send('/start');
  await chat.press('📝 Регистрация');
  await chat.waitFor(/Ваш e-mail\?/);
  await chat.send(email);
  await chat.waitFor(/придумайте пароль/);
  await chat.send('хороший пароль');
  await chat.waitFor(/Вы вошли как/);
}

/**
 * /catalog -> Электроника -> next page -> the laptop -> ➕ to `quantity` -> Купить сейчас, the
 * delivery details the first time -> Confirm. Returns the order number and what the bot said when
 * it placed it. Finds its way by words, not amounts: the amounts are what the test checks, once
 * the messages are in.
 */
async function orderLaptops(chat: SandboxChat, quantity: number) {
  await chat.send('/catalog');
  await chat.waitFor(/Выберите категорию/);
  await chat.press(/^Электроника/);
  // Five products a page: the laptop is on the second.
  await chat.press('Следующая ▶️');
  await chat.press(/^Ноутбук 14" · /);
  await eventually(async () => expect(await chat.buttons()).toContain('⚡ Купить сейчас'), 20_000, 100);
  for (let count = 2; count <= quantity; count += 1) {
    await chat.press('➕');
    await eventually(async () => expect(await chat.buttons()).toContain(String(count)), 20_000, 100);
  }
  await chat.press('⚡ Купить сейчас');
  // The newest bot message, not an earlier checkout's: the first checkout asks where to deliver,
  // a later one offers those details again in its summary.
  const next = await eventually(
    async () => {
      const last = (await chat.messages()).findLast((m) => m.from === 'bot');
      const text = last?.text || last?.caption || '';
      if (!/Куда доставить заказ\?|Подтверждаете\?$/.test(text))
        throw new Error(`no delivery question or summary yet: ${text}`);
      return text;
    },
    20_000,
    100,
  );
  if (next.includes('Куда доставить')) {
    await chat.send('Ольга Иванова');
    await chat.waitFor(/Телефон для курьера/);
    await chat.send('+7 999 123-45-67');
    await chat.waitFor(/И адрес доставки/);
    await chat.send('Невский проспект, 1');
  }
  await chat.waitFor(/Подтверждаете\?$/);
  // The summary itself turns into "placed": an earlier order's message must not be taken for it.
  const summary = await chat.press('✅ Подтвердить');
  return eventually(
    async () => {
      const text = (await chat.messages()).find((m) => m.messageId === summary.messageId)?.text ?? '';
      const number = /Заказ №(\d+) оформлен/.exec(text)?.[1];
      if (number === undefined) throw new Error(`the order is not placed yet: ${text}`);
      return { orderId: Number(number), placed: text };
    },
    20_000,
    100,
  );
}

describe('a buyer whose Telegram speaks Russian', { timeout: 120_000 }, () => {
  it('gets every message in Russian with Russian money: the receipt, and a decline said in a sentence', async () => {
    const olga = await SandboxChat.create(shop.sandbox, 'Ольга', 'ru');
    await registerInRussian(olga, uniqueEmail('olga'));

    const paid = await orderLaptops(olga, 1);
    const receipt = await olga.waitFor(new RegExp(`Заказ №${paid.orderId} оплачен`), SLOW);
    expect(receipt.text).toBe(
      [
        `✅ Заказ №${paid.orderId} оплачен.`,
        '',
        `• Ноутбук 14" × 1 — 1${NBSP}299,00${NBSP}$`,
        `Итого: 1${NBSP}299,00${NBSP}$`,
      ].join('\n'),
    );
    // Confirm is answered in Russian while the items are reserved and the payment is taken, with
    // the amount written as the receipt writes it.
    expect(paid.placed).toBe(
      `✅ Заказ №${paid.orderId} оформлен, сумма 1${NBSP}299,00${NBSP}$. ` +
        'Резервирую товары. Если магазин принимает оплату в Telegram, следом в этот чат придёт счёт с кнопкой «Оплатить»; иначе оплата спишется сразу. Я напишу, как только заказ будет оплачен или если это не получится.',
    );

    const declined = await orderLaptops(olga, 2);
    const decline = await olga.waitFor(new RegExp(`Оплата заказа №${declined.orderId} не прошла`), SLOW);
    expect(decline.text).toBe(
      [
        `❌ Оплата заказа №${declined.orderId} не прошла.`,
        'Сумма превышает лимит одного платежа. Деньги не списаны.',
        '',
        `• Ноутбук 14" × 2 — 2${NBSP}598,00${NBSP}$`,
        `Итого: 2${NBSP}598,00${NBSP}$`,
      ].join('\n'),
    );
    expect(declined.placed).toContain(`сумма 2${NBSP}598,00${NBSP}$.`);

    // Nothing in the chat is an English receipt, money written the US way, or a raw code.
    const botTexts = (await olga.messages()).filter((m) => m.from === 'bot').map((m) => m.text ?? '');
    for (const text of botTexts) {
      expect(text).not.toMatch(/\$\d|\d\.\d\d|Order #|Payment|Total|Reason|amount_limit_exceeded/);
    }
  });
});
