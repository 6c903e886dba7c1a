import { eventually, uniqueEmail } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelOrderButton } from '../src/buttons.ts';
import {
  createSimulatedProvider,
  type PaymentProvider,
} from '../../services/payment/src/provider/provider.ts';
import { answerOf, createChat, textsOf, type Chat } from './support/chat.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { button } from './support/buttons.ts';
import { confirmOf, typeDelivery } from './support/checkout.ts';

/** Charges wait here until the test lets them go: an order stays unpaid as long as it likes. */
let releaseCharges = () => {};
const chargesReleased = new Promise<void>((resolve) => (releaseCharges = resolve));
const simulated = createSimulatedProvider({ declineAboveCents: 100_000 });
const heldCharges: PaymentProvider = {
  ...simulated,
  async charge(request) {
    await chargesReleased;
    return simulated.charge(request);
  },
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness('cancel', { paymentProvider: heldCharges });
});
afterAll(async () => {
  releaseCharges();
  await h.close();
});

async function signedIn(lang: 'en' | 'ru') {
  const chat = createChat(h.telegram, () => h.bot, lang);
  const email = uniqueEmail('cancel');
  await h.deps.auth.register(email, 'a good password');
  await chat.send('/login');
  await chat.send(email);
  await chat.send('a good password');
  return chat;
}

/** Buys one green tea (product 8) and waits until the catalog reserved it. */
async function reservedOrder(chat: Chat) {
  await chat.send('/catalog');
  await chat.tap(button.category(2, 1));
  await chat.tap(button.product(8, 2, 1));
  await chat.tap(button.buy(8));
  // Each buyer here orders once, so the bot asks for the delivery details before the summary.
  await typeDelivery(chat);
  const id = Number(/[#№](\d+)/.exec(textsOf(await chat.tap(confirmOf(chat)))[0]!)![1]);
  await eventually(async () => expect((await h.shop.orderStatuses([id])).get(id)).toBe('awaiting_payment'));
  return id;
}

const teaStock = async () =>
  ((await (await h.shop.apps.catalog.request('/products/8')).json()) as { stock: number }).stock;
const cancelButton = (id: number) => cancelOrderButton.build({ order: String(id), page: 1 });

describe('an unpaid order', () => {
  it('shows that it awaits payment and for how long, and is cancelled with one press (English)', async () => {
    const anna = await signedIn('en');
    const stock = await teaStock();
    const id = await reservedOrder(anna);
    expect(await teaStock()).toBe(stock - 1);
    await anna.send('/orders');
    expect(anna.lastButtons()[0]?.text).toBe(`#${id} · 💳 awaiting payment · $4.50`);

    const [screen] = textsOf(await anna.tap(button.order(id, 1)));

    expect(screen).toBe(
      [
        `Order #${id} — 💳 awaiting payment`,
        'Items held for you for 15 more minutes.',
        '• Green tea × 1 — $4.50',
        'Total: $4.50',
        'Payment: not started yet',
      ].join('\n'),
    );
    expect(anna.lastButtons().map((b) => b.text)).toEqual(['✖️ Cancel order', '⬅️ Back']);

    const pressed = await anna.tap(cancelButton(id));

    expect(answerOf(pressed)).toBe(`Order #${id} is cancelled.`);
    expect(textsOf(pressed)[0]).toMatch(
      new RegExp(`^Order #${id} — ✖️ cancelled\\nCancelled: by you\\n• Green tea × 1`),
    );
    expect(anna.lastButtons().map((b) => b.text)).toEqual(['⬅️ Back']);
    expect((await h.shop.orderStatuses([id])).get(id)).toBe('cancelled');
    await eventually(async () => expect(await teaStock()).toBe(stock));
  });

  it('speaks Russian, and refuses to cancel it once it is cancelled already', async () => {
    const olga = await signedIn('ru');
    const id = await reservedOrder(olga);
    await olga.send('/orders');
    const [screen] = textsOf(await olga.tap(button.order(id, 1)));
    expect(screen).toContain(`Заказ №${id} — 💳 ожидает оплаты\nТовары отложены для вас ещё на 15 минут.`);
    expect(olga.lastButtons()[0]?.text).toBe('✖️ Отменить заказ');
    expect(answerOf(await olga.tap(cancelButton(id)))).toBe(`Заказ №${id} отменён.`);

    // The same button again, from the message that still showed it.
    const again = await olga.tap(cancelButton(id), olga.messageWith(cancelButton(id)));

    expect(answerOf(again)).toBe('Этот заказ уже нельзя отменить.');
    expect(textsOf(again)[0]).toContain(`Заказ №${id} — ✖️ отменён\nОтменён: вами`);
  });

  it("cancels nothing of someone else's order: it is not found", async () => {
    const anna = await signedIn('en');
    const boris = await signedIn('en');
    const id = await reservedOrder(anna);

    expect(answerOf(await boris.tap(cancelButton(id), 1))).toBe('That order was not found.');
    expect((await h.shop.orderStatuses([id])).get(id)).toBe('awaiting_payment');
  });

  it('answers a forged or old cancel button as a button of an older message', async () => {
    const anna = await signedIn('en');
    for (const data of ['oc:!!:1', 'oc:12', 'oc:12:1:extra', 'oc:12:0']) {
      expect(answerOf(await anna.tap(data, 1)), data).toBe(
        'This button belongs to an older message and no longer works.',
      );
    }
  });
});
