import type { Conversation, ConversationFlavor } from '@grammyjs/conversations';
import type { I18nFlavor } from '@grammyjs/i18n';
import type { Context, SessionFlavor } from 'grammy';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AuthClient } from './clients/auth.ts';
import type { CatalogClient } from './clients/catalog.ts';
import type { NotificationClient } from './clients/notification.ts';
import type { OrderClient } from './clients/order.ts';
import type { PaymentClient } from './clients/payment.ts';
import type { MiniAppLinks } from './mini-app.ts';
import type { SignIns } from './sign-ins.ts';

/** Per-chat state in Redis. Callback data is capped at 64 bytes, so a search query lives here. */
export interface SessionData {
  search?: string;
}

/** Context outside conversations. */
export type BotContext = ConversationFlavor<Context & SessionFlavor<SessionData> & I18nFlavor>;
/** Context inside conversations: a fresh one per update, with i18n installed as a conversation plugin. */
export type ConvContext = Context & I18nFlavor;
export type ShopConversation = Conversation<BotContext, ConvContext>;
/** What views need to render text in the user's language. */
export type Translator = Pick<I18nFlavor, 't'>;

/** Everything the bot talks to; only main.ts (and tests) build real ones. */
export interface Dependencies {
  auth: AuthClient;
  catalog: CatalogClient;
  orders: OrderClient;
  payments: PaymentClient;
  notification: NotificationClient;
  signIns: SignIns;
  /** Holds sessions and conversation state, so a restart or another replica continues a chat. */
  redis: Redis;
  keyPrefix: string;
  logger: Logger;
  conversationTtlSeconds?: number;
  /** The storefront as a Mini App (BOT_MINI_APP_URL): the menu button and product cards open it. */
  miniApp?: MiniAppLinks;
}
