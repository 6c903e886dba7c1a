/**
 * Steps of the bot's conversations as a person goes through them in the sandbox chat, in the
 * chat's language: the bot's Russian for a `ru` user, English otherwise.
 */
import { eventually } from '@shop/testkit';
import { textOf, type ChatMessage, type SandboxChat } from './sandbox.ts';

/** Delivery details as a buyer types them. */
export const DELIVERY = {
  name: 'Anna Petrova',
  phone: '+7 999 123-45-67',
  address: 'Nevsky prospekt 1, flat 2',
};
export type Delivery = typeof DELIVERY;

/** What the buyer's steps read and press, as bot/src/locales words it. */
const WORDS = {
  en: {
    chooseCategory: /Choose a category/,
    buyNow: '⚡ Buy now',
    addToCart: '🛒 Add to cart',
    checkout: '✅ Checkout',
    confirm: '✅ Confirm',
    askName: /Where should we deliver your order\?/,
    askPhone: /A phone number for the courier/,
    askAddress: /And the delivery address/,
    total: 'Total',
    confirmQuestion: 'Confirm?',
    placed: /Order #(\d+) placed/,
  },
  ru: {
    chooseCategory: /Выберите категорию/,
    buyNow: '⚡ Купить сейчас',
    addToCart: '🛒 В корзину',
    checkout: '✅ Оформить',
    confirm: '✅ Подтвердить',
    askName: /Куда доставить заказ\?/,
    askPhone: /Телефон для курьера/,
    askAddress: /И адрес доставки/,
    total: 'Итого',
    confirmQuestion: 'Подтверждаете?',
    placed: /Заказ №(\d+) оформлен/,
  },
};
const wordsOf = (chat: SandboxChat) => WORDS[chat.user.languageCode === 'ru' ? 'ru' : 'en'];
/** `text` as a regular expression that matches it literally. */
export const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The summary's last line, whatever came before it. */
const summaryEnd = (chat: SandboxChat) => new RegExp(`${escaped(wordsOf(chat).confirmQuestion)}$`);

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
  await chat.waitFor(wordsOf(chat).chooseCategory, timeoutMs);
  await chat.press(category, timeoutMs);
  await chat.press(product, timeoutMs);
  await eventually(
    async () => {
      if (!(await chat.buttons()).includes(wordsOf(chat).buyNow))
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
  const words = wordsOf(chat);
  const pressed = await chat.press(button, timeoutMs);
  const next = await chat.waitFor(
    new RegExp(`${words.askName.source}|${summaryEnd(chat).source}`),
    timeoutMs,
    pressed,
  );
  return words.askName.test(next.text ?? '') ? 'delivery' : 'summary';
}

/** Buy now on the card: the checkout, up to its first question or its summary; returns which. */
export const buyNow = (chat: SandboxChat, timeoutMs?: number) =>
  beginCheckout(chat, wordsOf(chat).buyNow, timeoutMs);

/** Checkout on the cart screen: the checkout of the cart, up to its first question or its summary. */
export const checkoutCart = (chat: SandboxChat, timeoutMs?: number) =>
  beginCheckout(chat, wordsOf(chat).checkout, timeoutMs);

/**
 * On the product card: Add to cart. Returns what the bot answered the press with ("Added 2 × …"),
 * once it has.
 */
export async function addToCart(chat: SandboxChat, timeoutMs?: number): Promise<string | undefined> {
  return chat.pressForAnswer(wordsOf(chat).addToCart, timeoutMs);
}

/** Types the delivery details, question by question, up to the summary. */
export async function typeDelivery(
  chat: SandboxChat,
  delivery: Delivery = DELIVERY,
  timeoutMs?: number,
): Promise<void> {
  const words = wordsOf(chat);
  await chat.waitFor(words.askPhone, timeoutMs, await chat.send(delivery.name));
  await chat.waitFor(words.askAddress, timeoutMs, await chat.send(delivery.phone));
  await chat.waitFor(summaryEnd(chat), timeoutMs, await chat.send(delivery.address));
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
export async function confirmCheckout(chat: SandboxChat, total: string, timeoutMs = 20_000): Promise<number> {
  const words = wordsOf(chat);
  await chat.waitFor(
    new RegExp(`${words.total}: ${escaped(total)}\\s+${summaryEnd(chat).source}`),
    timeoutMs,
  );
  // The summary itself turns into "placed": an earlier order's message must not be taken for it.
  const summary = await chat.press(words.confirm, timeoutMs);
  return eventually(
    async () => {
      const text = (await chat.messages()).find((m) => m.messageId === summary.messageId)?.text ?? '';
      const number = words.placed.exec(text)?.[1];
      if (number === undefined) throw new Error(`the order is not placed yet: ${text}`);
      return Number(number);
    },
    timeoutMs,
    100,
  );
}

/**
 * The photo of the product card the chat shows (its newest message with buttons), fetched from
 * the sandbox as the web chat loads it; throws when that card is not `product`'s or has no photo.
 */
export async function cardPhoto(chat: SandboxChat, product: string): Promise<Response> {
  const card = (await chat.messages()).findLast(
    (m) => m.from === 'bot' && (m.replyMarkup?.inline_keyboard?.length ?? 0) > 0,
  );
  const shown = card?.caption?.split('\n')[0];
  if (shown !== product) throw new Error(`the card shown is ${shown ?? 'not a photo'}, not ${product}`);
  if (!card?.photo) throw new Error(`${product} has no photo`);
  return fetch(`${chat.sandbox.url}${card.photo.url}`);
}

/** Waits for the bot's question (the newest message), then types the answer. */
export async function answer(chat: SandboxChat, question: RegExp, text: string): Promise<void> {
  await chat.newest(question);
  await chat.send(text);
}

/** Taps `label` on the screen in front of the user, and waits for the screen it brings up. */
export async function tap(chat: SandboxChat, label: string | RegExp, screen: RegExp): Promise<ChatMessage> {
  await chat.press(label);
  return chat.newest(screen);
}

/** The texts of the bot's messages in the chat that match `pattern` now. */
export async function told(chat: SandboxChat, pattern: RegExp): Promise<string[]> {
  return (await chat.messages()).filter((m) => m.from === 'bot' && pattern.test(textOf(m))).map(textOf);
}
