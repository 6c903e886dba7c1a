import { eventually } from '@shop/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buttonsOf, createChat } from './support/chat.ts';
import type { ApiCall } from './support/fake-telegram.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { button, checkoutTagOf, isConfirm } from './support/buttons.ts';
import { DELIVERY } from './support/checkout.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('purchase');
});
afterAll(() => h.close());

/** What the user would see: bot messages, edits, button answers and deletions, one line each. */
function describeCalls(calls: ApiCall[]): string[] {
  return calls.map((c) => {
    const buttons = buttonsOf(c)
      .map((b) => `[${b.text}]`)
      .join(' ');
    const text = (typeof c.payload.text === 'string' ? c.payload.text : '').replaceAll('\n', ' / ');
    if (c.method === 'sendMessage') return `bot: ${text}${buttons ? `  ${buttons}` : ''}`;
    if (c.method === 'editMessageText') return `bot (edits): ${text}${buttons ? `  ${buttons}` : ''}`;
    if (c.method === 'answerCallbackQuery')
      return `bot (answers button)${typeof c.payload.text === 'string' ? `: ${c.payload.text}` : ''}`;
    return `bot (${c.method})`;
  });
}

it('takes a new user from /start to a placed order without any registration, and shows it paid in /orders', async () => {
  const anna = createChat(h.telegram, () => h.bot, 'en');
  const transcript: string[] = [];
  const say = async (text: string) =>
    transcript.push(`user: ${text}`, ...describeCalls(await anna.send(text)));
  const tap = async (data: string) => {
    const label = anna.lastButtons().find((b) => b.callback_data === data)?.text ?? data;
    transcript.push(`user taps: ${label}`, ...describeCalls(await anna.tap(data)));
  };
  const tag = () => checkoutTagOf(anna.lastButtons()[0]?.callback_data ?? '');

  await say('/start');
  await tap(button.categories);
  await tap(button.category(2, 1));
  await tap(button.product(8, 2, 1));
  await tap(button.card(8, 2, 2));
  await tap(button.buy(8, 2));
  await say(DELIVERY.name);
  await say(DELIVERY.phone);
  await say(DELIVERY.address);
  await tap(anna.lastButtons().find((b) => isConfirm(b.callback_data, tag()))?.callback_data ?? '');
  const orderId = Number(/Order #(\d+) placed/.exec(transcript.join('\n'))?.[1]);
  // The catalog reserves the order, payment charges it and order hears back, through RabbitMQ.
  await eventually(async () => expect((await h.shop.orderStatuses([orderId])).get(orderId)).toBe('paid'));
  transcript.push('(the catalog reserves the order, payment charges it, through RabbitMQ)');
  await say('/orders');
  await tap(anna.lastButtons()[0]?.callback_data ?? '');

  const text = transcript.join('\n');
  if (process.env.PRINT_TRANSCRIPT) process.stdout.write(`\n${text}\n`);
  expect(text).toContain('your Telegram account is all you need, no registration');
  expect(text).not.toMatch(/e-mail\?|password/);
  expect(text).toMatch(/bot \(edits\): ✅ Order #\d+ placed, total \$9\.00\. I am reserving the items/);
  expect(text).toContain(`[#${orderId} · ✅ paid · $9.00]`);
  expect(text).toContain(
    `bot (edits): Order #${orderId} — ✅ paid / • Green tea × 2 — $9.00 / Total: $9.00 / Payment: succeeded`,
  );
});
