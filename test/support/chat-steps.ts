/** Steps of the bot's conversations as a person goes through them in the sandbox chat (English texts). */
import { eventually } from '@shop/testkit';
import type { SandboxChat } from './sandbox.ts';

/** Delivery details as a buyer types them. */
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

/** Presses a button that starts a checkout, up to its first question or its summary; returns which. */
async function beginCheckout(
  chat: SandboxChat,
  button: string,
  timeoutMs?: number,
): Promise<'delivery' | 'summary'> {
  await chat.press(button, timeoutMs);
  const next = await chat.waitFor(/Where should we deliver your order\?|Confirm\?$/, timeoutMs);
  return /Where should we deliver/.test(next.text ?? '') ? 'delivery' : 'summary';
}

/** Buy now on the card: the checkout, up to its first question or its summary; returns which. */
export const buyNow = (chat: SandboxChat, timeoutMs?: number) => beginCheckout(chat, '⚡ Buy now', timeoutMs);

/** Checkout on the cart screen: the checkout of the cart, up to its first question or its summary. */
export const checkoutCart = (chat: SandboxChat, timeoutMs?: number) =>
  beginCheckout(chat, '✅ Checkout', timeoutMs);

/**
 * On the product card: Add to cart. Returns what the bot answered the press with ("Added 2 × …"),
 * once it has.
 */
export async function addToCart(chat: SandboxChat, timeoutMs?: number): Promise<string | undefined> {
  return chat.pressForAnswer('🛒 Add to cart', timeoutMs);
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
