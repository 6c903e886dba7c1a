/** A person using the bot through the sandbox while the suite breaks things around them. */
import { eventually, uniqueEmail } from '@shop/testkit';
import { buyNow, chooseQuantity, DELIVERY, openProduct } from '../support/chat-steps.ts';
import { SandboxChat } from '../support/sandbox.ts';
import type { Shop } from '../support/shop.ts';

const SLOW = 30_000;

/** A new sandbox user who registered through the bot and is signed in. */
export async function botUser(shop: Shop, name: string): Promise<SandboxChat> {
  const chat = await SandboxChat.create(shop.sandbox, name);
  await chat.send('/start');
  await chat.press('📝 Register', SLOW);
  await chat.waitFor(/What is your e-mail\?/, SLOW);
  await chat.send(uniqueEmail(name.toLowerCase()));
  await chat.waitFor(/choose a password/, SLOW);
  await chat.send('a good password');
  await chat.waitFor(/You are signed in as/, SLOW);
  return chat;
}

/**
 * /catalog -> Electronics -> USB-C Charger -> ➕ -> Buy now, and the recipient's name: the
 * checkout of 2 waits for the phone.
 */
export async function openCheckout(chat: SandboxChat): Promise<void> {
  await openProduct(chat, /^Electronics/, /^USB-C Charger 65 W · /, SLOW);
  await chooseQuantity(chat, 2, SLOW);
  if ((await buyNow(chat, SLOW)) !== 'delivery')
    throw new Error('a new user was not asked for delivery details');
  await chat.send(DELIVERY.name);
  await chat.waitFor(/A phone number for the courier/, SLOW);
}

/** The phone and the address, then Confirm on the summary; returns the order number the bot announced. */
export async function confirmCheckout(chat: SandboxChat): Promise<number> {
  await chat.send(DELIVERY.phone);
  await chat.waitFor(/And the delivery address/, SLOW);
  await chat.send(DELIVERY.address);
  await chat.waitFor(/Confirm\?/, SLOW);
  await chat.press('✅ Confirm', SLOW);
  const placed = await chat.waitFor(/Order #\d+ placed/, SLOW);
  return Number(/Order #(\d+) placed/.exec(placed.text ?? '')?.[1]);
}

/** Sends `text` and waits for a bot reply to it matching `pattern`; returns that reply. */
export async function replyTo(
  chat: SandboxChat,
  text: string,
  pattern: RegExp,
  timeoutMs: number,
): Promise<string> {
  const before = (await chat.messages()).length;
  await chat.send(text);
  return eventually(
    async () => {
      const replies = (await chat.messages())
        .slice(before)
        .filter((message) => message.from === 'bot')
        .map((message) => message.text ?? '');
      const found = replies.find((reply) => pattern.test(reply));
      if (found === undefined)
        throw new Error(`no reply to ${text} matching ${pattern}; got ${JSON.stringify(replies)}`);
      return found;
    },
    timeoutMs,
    200,
  );
}
