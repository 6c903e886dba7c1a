import type {
  ForceReply,
  InlineKeyboardMarkup,
  LabeledPrice,
  Message,
  ReplyKeyboardMarkup,
  ReplyKeyboardRemove,
} from 'grammy/types';
import type { ParseMode } from '../format/index.ts';

/** A person in the sandbox world; their private chat with the bot has the same id. */
export interface SandboxUser {
  id: number;
  firstName: string;
  languageCode: string;
  username?: string;
  /** What Telegram shares as this user's own contact: digits only, as Telegram sends it. */
  phoneNumber: string;
}

export type ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply;

/** An invoice as the bot made it (sendInvoice, createInvoiceLink): what Message.invoice leaves out too. */
export interface InvoiceDetails {
  title: string;
  description: string;
  /** Bot-defined, 1-128 bytes; never shown to the user. */
  payload: string;
  /** Empty for Telegram Stars (XTR). */
  providerToken: string;
  currency: string;
  prices: LabeledPrice[];
  /** The sum of the prices, in the currency's smallest units (whole Stars for XTR). */
  totalAmount: number;
  startParameter: string;
  /** The product photo (photo_url), fetched by the sandbox when the web chat shows it. */
  photo?: { fileId: string; width?: number; height?: number };
}

/** One message in a chat: the Telegram object plus what Telegram keeps but does not echo back. */
export interface StoredMessage {
  message: Message;
  from: 'user' | 'bot';
  /** As sent: reply keyboards are not part of Telegram's Message object, inline ones are. */
  replyMarkup?: ReplyMarkup;
  parseMode?: ParseMode;
  /** An invoice message: the whole invoice, and the charge that paid it once it is paid. */
  invoice?: { details: InvoiceDetails; paidChargeId?: string };
}

/** An invoice as the control API and the web chat show it. */
export interface InvoiceView {
  title: string;
  description: string;
  currency: string;
  totalAmount: number;
  startParameter: string;
  prices: LabeledPrice[];
  photo?: { url: string; width?: number; height?: number };
  /** The telegram_payment_charge_id of the payment that paid it. */
  paidChargeId?: string;
}

/** A payment's service message (successful_payment, refunded_payment) as the control API shows it. */
export interface PaymentView {
  currency: string;
  totalAmount: number;
  invoicePayload: string;
  telegramPaymentChargeId: string;
  providerPaymentChargeId?: string;
}

/** A photo as the control API and the web chat show it. */
export interface PhotoView {
  fileId: string;
  url: string;
  width: number;
  height: number;
}

/** A shared contact as the control API and the web chat show it. */
export interface ContactView {
  phoneNumber: string;
  firstName: string;
  userId?: number;
}

/** A message as the control API, the SSE stream and the web chat show it. */
export interface MessageView {
  messageId: number;
  from: 'user' | 'bot';
  /** The text as the user reads it (markup parsed into `entities`); '' for a photo. */
  text: string;
  entities?: Message['entities'];
  caption?: string;
  captionEntities?: Message['caption_entities'];
  photo?: PhotoView;
  contact?: ContactView;
  replyMarkup?: ReplyMarkup;
  parseMode?: ParseMode;
  invoice?: InvoiceView;
  successfulPayment?: PaymentView;
  refundedPayment?: PaymentView;
  /** Unix seconds, as in Telegram. */
  date: number;
  editDate?: number;
}

/** What the SSE stream tells the web chat; every event names its chat (null: all chats). */
export type SandboxEvent =
  | { type: 'message'; chatId: number; message: MessageView }
  | { type: 'edited'; chatId: number; message: MessageView }
  | { type: 'deleted'; chatId: number; messageId: number }
  | {
      type: 'callback_answered';
      chatId: number;
      callbackQueryId: string;
      messageId: number;
      text?: string;
      showAlert: boolean;
    }
  | { type: 'chat_action'; chatId: number; action: string }
  | { type: 'user'; chatId: number; user: SandboxUser }
  | { type: 'stars'; chatId: number; balance: number }
  /** setChatMenuButton changed the button of one chat, or (null) of every chat. */
  | { type: 'menu_button'; chatId: number | null }
  | { type: 'reset'; chatId: null };
