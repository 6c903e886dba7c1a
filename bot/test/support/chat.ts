import type { Message, Update } from 'grammy/types';
import { expect } from 'vitest';
import type { ShopBot } from '../../src/bot.ts';
import type { ApiCall, FakeTelegram } from './fake-telegram.ts';

let nextUpdateId = 1;
// Random per worker: test files share one auth database, where a Telegram id links to one user.
let nextUserId = 100_000_000 + Math.floor(Math.random() * 1_000_000_000);

interface Button {
  text: string;
  callback_data: string;
}

/** Methods that show a message: their calls carry its buttons. */
const SHOWING = new Set([
  'sendMessage',
  'editMessageText',
  'sendPhoto',
  'editMessageMedia',
  'editMessageCaption',
]);

/** The buttons of a call that shows a message (sendMessage, editMessageText, sendPhoto, ...). */
export const buttonsOf = (call: ApiCall | undefined): Button[] =>
  (
    (call?.payload.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []
  ).flat();

/** Texts the bot sent or edited in, in order. */
export const textsOf = (calls: ApiCall[]) =>
  calls
    .filter((c) => c.method === 'sendMessage' || c.method === 'editMessageText')
    .map((c) => String(c.payload.text));

/** Photo captions the bot sent or edited in, in order. */
export const captionsOf = (calls: ApiCall[]) =>
  calls
    .filter(
      (c) => c.method === 'sendPhoto' || c.method === 'editMessageMedia' || c.method === 'editMessageCaption',
    )
    .map((c) =>
      String(
        (c.method === 'editMessageMedia' ? (c.payload.media as { caption?: unknown }) : c.payload).caption,
      ),
    );

/** A chat as Telegram describes it in updates. */
export type TelegramChat =
  | { id: number; type: 'private'; first_name: string }
  | { id: number; type: 'group'; title: string }
  | { id: number; type: 'supergroup'; title: string };

/** A group chat several test users can write in. */
export const createGroup = (type: 'group' | 'supergroup' = 'supergroup'): TelegramChat => ({
  id: -nextUserId++,
  type,
  title: 'Friends of the shop',
});

export interface ChatOptions {
  /** Where the user writes: a group, or someone else's private chat (as a forged update would claim). */
  chat?: TelegramChat;
  /** The Telegram user, when the same person writes in another chat; a new one by default. */
  userId?: number;
  /** The profile Telegram shows for the user: `Anna` without a username by default. */
  firstName?: string;
  username?: string;
}

/**
 * One Telegram user in a private chat with the bot (or in `options.chat`), driving the real bot
 * with `handleUpdate`. Every step returns the Bot API calls it caused; every button press must
 * be answered exactly once.
 */
export function createChat(
  telegram: FakeTelegram,
  bot: () => ShopBot,
  languageCode: 'en' | 'ru' = 'en',
  options: ChatOptions = {},
) {
  const id = options.userId ?? nextUserId++;
  const from = {
    id,
    is_bot: false,
    first_name: options.firstName ?? 'Anna',
    language_code: languageCode,
    ...(options.username === undefined ? {} : { username: options.username }),
  };
  const chat: TelegramChat = options.chat ?? { id, type: 'private', first_name: 'Anna' };
  let nextMessageId = 1;

  function run(update: Omit<Update, 'update_id'>): Promise<ApiCall[]> {
    const updateId = nextUpdateId++;
    return telegram.handling(updateId, () => bot().handleUpdate({ update_id: updateId, ...update }));
  }

  const message = (extra: Record<string, unknown>) =>
    run({
      message: { message_id: nextMessageId++, date: Math.floor(Date.now() / 1000), chat, from, ...extra },
    });

  /** The latest message of this chat that shows a button with `data`. */
  function messageWith(data: string): number {
    for (const call of [...telegram.calls].reverse()) {
      if (call.payload.chat_id !== chat.id) continue;
      if (SHOWING.has(call.method) && buttonsOf(call).some((b) => b.callback_data === data)) {
        return call.method.startsWith('send')
          ? (call.result as { message_id: number }).message_id
          : Number(call.payload.message_id);
      }
    }
    throw new Error(`no message in chat ${chat.id} shows a button ${data}`);
  }

  return {
    id,
    chat,
    send(text: string) {
      const entities = text.startsWith('/')
        ? [{ type: 'bot_command', offset: 0, length: (text.split(' ')[0] ?? text).length }]
        : undefined;
      return message({ text, entities });
    },
    /**
     * Sends a photo: the largest of its sizes is `fileId` (of `fileSize` bytes, if given), with
     * `caption` if given.
     */
    photo: (fileId = 'photo', { fileSize, caption }: { fileSize?: number; caption?: string } = {}) =>
      message({
        photo: [
          { file_id: `${fileId}-small`, file_unique_id: 'ps', width: 90, height: 90 },
          {
            file_id: fileId,
            file_unique_id: 'p',
            width: 800,
            height: 800,
            ...(fileSize ? { file_size: fileSize } : {}),
          },
        ],
        ...(caption === undefined ? {} : { caption }),
      }),
    /** Sends a file as a document (not as a photo). */
    document: (fileId: string, fileSize: number, fileName = 'photo.jpg') =>
      message({
        document: {
          file_id: fileId,
          file_unique_id: 'd',
          file_name: fileName,
          mime_type: 'image/jpeg',
          file_size: fileSize,
        },
      }),
    /** Shares a contact card: by default the user's own, as Telegram's "share my phone number" button sends it. */
    contact: (phone: string, userId: number = id) =>
      message({ contact: { phone_number: phone, first_name: 'Anna', user_id: userId } }),
    sticker: () =>
      message({
        sticker: {
          file_id: 'sticker',
          file_unique_id: 's',
          type: 'regular',
          width: 1,
          height: 1,
          is_animated: false,
          is_video: false,
        },
      }),
    /**
     * Presses a button; `messageId` defaults to the latest message showing it (pass one for an old
     * message). The query carries the message as it is now: its text, or its photo and caption.
     */
    async tap(data: string, messageId?: number): Promise<ApiCall[]> {
      const queryId = `q${nextUpdateId}`;
      const id = messageId ?? messageWith(data);
      const shown = telegram.messageIn(chat.id, id) ?? { text: '…' };
      const calls = await run({
        callback_query: {
          id: queryId,
          from,
          chat_instance: 'ci',
          data,
          message: { message_id: id, date: 0, chat, ...shown } as Message,
        },
      });
      const answers = calls.filter(
        (c) => c.method === 'answerCallbackQuery' && c.payload.callback_query_id === queryId,
      );
      expect(answers, `button ${data} must be answered exactly once`).toHaveLength(1);
      return calls;
    },
    /**
     * Presses Pay on an invoice: Telegram's pre_checkout_query from this user. Returns the bot's
     * answers to it (exactly one is expected).
     */
    async preCheckout(invoice: Invoice): Promise<ApiCall[]> {
      const queryId = `pcq${nextUpdateId}`;
      const calls = await run({
        pre_checkout_query: {
          id: queryId,
          from,
          currency: invoice.currency,
          total_amount: invoice.totalAmount,
          invoice_payload: invoice.payload,
        },
      });
      return calls.filter(
        (c) => c.method === 'answerPreCheckoutQuery' && c.payload.pre_checkout_query_id === queryId,
      );
    },
    /** Any other message from the user (a service message): its fields. */
    message,
    /** Telegram took the money: the service message with `successful_payment`, `chargeId` its charge. */
    paid: (invoice: Invoice, chargeId: string) =>
      message({ successful_payment: successfulPayment(invoice, chargeId) }),
    /** The buttons of the message the bot last sent or edited in this chat. */
    lastButtons(): Button[] {
      const call = [...telegram.calls]
        .reverse()
        .find((c) => c.payload.chat_id === chat.id && SHOWING.has(c.method));
      return buttonsOf(call);
    },
    messageWith,
  };
}

export type Chat = ReturnType<typeof createChat>;

/** An invoice as Telegram shows it to the buyer: what its Pay button pays. */
export interface Invoice {
  payload: string;
  currency: string;
  totalAmount: number;
}

/** Telegram's `successful_payment` for `invoice`, with charge ids derived from `chargeId`. */
export const successfulPayment = (invoice: Invoice, chargeId: string) => ({
  currency: invoice.currency,
  total_amount: invoice.totalAmount,
  invoice_payload: invoice.payload,
  telegram_payment_charge_id: `tg-${chargeId}`,
  provider_payment_charge_id: `provider-${chargeId}`,
});

/** The answerCallbackQuery text of a tap, if any. */
export const answerOf = (calls: ApiCall[]) =>
  calls.find((c) => c.method === 'answerCallbackQuery')?.payload.text as string | undefined;
