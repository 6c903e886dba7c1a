import type {
  ForceReply,
  InlineKeyboardMarkup,
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

/** One message in a chat: the Telegram object plus what Telegram keeps but does not echo back. */
export interface StoredMessage {
  message: Message;
  from: 'user' | 'bot';
  /** As sent: reply keyboards are not part of Telegram's Message object, inline ones are. */
  replyMarkup?: ReplyMarkup;
  parseMode?: ParseMode;
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
  | { type: 'reset'; chatId: null };
