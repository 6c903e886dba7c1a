/** Steps of the bot's conversations as a person goes through them in the sandbox chat (English texts). */
import { eventually } from '@shop/testkit';
import type { SandboxChat } from './sandbox.ts';

/** Delivery details as a buyer types them (the sandbox's web chat has no "share my phone number"). */
export const DELIVERY = {
  name: 'Anna Petrova',
  phone: '+7 999 123-45-67',
  address: 'Nevsky prospekt 1, flat 2',
};

/** /start -> Register -> e-mail -> password: signed in. */
export async function registerInChat(chat: SandboxChat, email: string): Promise<void> {
  await chat.send('/start');
  await chat.press('📝 Register');
  await chat.waitFor(/What is your e-mail\?/);
  await chat.send(email);
  await chat.waitFor(/choose a password/);
  await chat.send('a good password');
  await chat.waitFor(/You are signed in as/);
}

/** /catalog -> category -> product: its card, at quantity 1. */
export async function openProduct(
  chat: SandboxChat,
  category: RegExp,
  product: RegExp,
  timeoutMs?: number,
): Promise<void> {
  await chat.send('/catalog');
  await chat.waitFor(/Choose a category/, timeoutMs);
  await chat.press(category, timeoutMs);
  await chat.press(product, timeoutMs);
  await eventually(
    async () => {
      if (!(await chat.buttons()).includes('⚡ Buy now'))
        throw new Error('the product card is not shown yet');
    },
    timeoutMs ?? 20_000,
    100,
  );
}

/** ➕ on the product card until it shows `quantity`. */
export async function chooseQuantity(chat: SandboxChat, quantity: number, timeoutMs?: number): Promise<void> {
  for (let n = 2; n <= quantity; n++) {
    await chat.press('➕', timeoutMs);
    await eventually(
      async () => {
        if (!(await chat.buttons()).includes(String(n))) throw new Error(`the card does not show ${n} yet`);
      },
      timeoutMs ?? 20_000,
      100,
    );
  }
}

/** Buy now on the card: the checkout, up to its first question or its summary; returns which. */
export async function buyNow(chat: SandboxChat, timeoutMs?: number): Promise<'delivery' | 'summary'> {
  await chat.press('⚡ Buy now', timeoutMs);
  const next = await chat.waitFor(/Where should we deliver your order\?|Confirm\?$/, timeoutMs);
  return /Where should we deliver/.test(next.text ?? '') ? 'delivery' : 'summary';
}

/** Types the delivery details, question by question, up to the summary. */
export async function typeDelivery(chat: SandboxChat, timeoutMs?: number): Promise<void> {
  await chat.send(DELIVERY.name);
  await chat.waitFor(/A phone number for the courier/, timeoutMs);
  await chat.send(DELIVERY.phone);
  await chat.waitFor(/And the delivery address/, timeoutMs);
  await chat.send(DELIVERY.address);
  await chat.waitFor(/Confirm\?$/, timeoutMs);
}

/**
 * /catalog -> category -> product -> ➕ up to `quantity` -> Buy now, and the delivery details if
 * they are asked (the first checkout): the summary.
 */
export async function openCheckout(
  chat: SandboxChat,
  category: RegExp,
  product: RegExp,
  quantity = 1,
): Promise<void> {
  await openProduct(chat, category, product);
  await chooseQuantity(chat, quantity);
  if ((await buyNow(chat)) === 'delivery') await typeDelivery(chat);
}

/** Confirm on a summary showing `total` (e.g. "$79.98"); returns the order number. */
export async function confirmCheckout(chat: SandboxChat, total: string): Promise<number> {
  await chat.waitFor(new RegExp(`Total: \\${total}\\s+Confirm\\?`));
  await chat.press('✅ Confirm');
  const placed = await chat.waitFor(/Order #\d+ placed/);
  return Number(/Order #(\d+) placed/.exec(placed.text ?? '')?.[1]);
}
