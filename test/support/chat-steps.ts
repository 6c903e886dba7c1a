/** Steps of the bot's conversations as a person goes through them in the sandbox chat (English texts). */
import type { SandboxChat } from './sandbox.ts';

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

/** /catalog -> category -> product -> Order: the checkout's quantity step, at 1. */
export async function openCheckout(chat: SandboxChat, category: RegExp, product: RegExp): Promise<void> {
  await chat.send('/catalog');
  await chat.waitFor(/Choose a category/);
  await chat.press(category);
  await chat.press(product);
  await chat.press('🛒 Order');
  await chat.waitFor(/How many\?.*Quantity: 1/s);
}

/** Continue -> Confirm on a checkout showing `total` (e.g. "$79.98"); returns the order number. */
export async function confirmCheckout(chat: SandboxChat, total: string): Promise<number> {
  await chat.press('✅ Continue');
  await chat.waitFor(new RegExp(`Total: \\${total}\\s+Confirm\\?`));
  await chat.press('✅ Confirm');
  const placed = await chat.waitFor(/Order #\d+ placed/);
  return Number(/Order #(\d+) placed/.exec(placed.text ?? '')?.[1]);
}
