import type { Logger } from 'pino';
import { Callbacks } from './callbacks.ts';
import { CallLog } from './calls.ts';
import { Chats } from './chats.ts';
import { Commands } from './commands.ts';
import { EventBus } from './events.ts';
import { Files } from './files.ts';
import { InvoiceLinks } from './invoice-links.ts';
import { MenuButtons } from './menu-buttons.ts';
import { PreCheckoutQueries } from './pre-checkout.ts';
import { Stars } from './stars.ts';
import { Throttle } from './throttle.ts';
import { UpdateQueue } from './update-queue.ts';
import { Webhook, type WebhookOptions } from './webhook.ts';

export type {
  SandboxEvent,
  SandboxUser,
  MessageView,
  PhotoView,
  ContactView,
  StoredMessage,
  ReplyMarkup,
  InvoiceView,
  PaymentView,
} from './types.ts';
export type { RecordedCall } from './calls.ts';
export type { CallbackRecord } from './callbacks.ts';
export type { Charge } from './stars.ts';
export type { PreCheckoutRecord } from './pre-checkout.ts';

export interface WorldOptions extends WebhookOptions {
  /** How long a pre_checkout_query waits for the bot's answer; Telegram's 10 s by default. */
  preCheckoutTimeoutMs?: number;
}

/** One Telegram world in memory: users, chats, the bot's pending updates, payments, and what happened. */
export function createWorld(logger: Logger, options: WorldOptions = {}) {
  const events = new EventBus();
  const updates = new UpdateQueue();
  const chats = new Chats(events);
  const callbacks = new Callbacks();
  const calls = new CallLog();
  const files = new Files();
  const throttle = new Throttle();
  const stars = new Stars(events);
  const preCheckout = new PreCheckoutQueries(options.preCheckoutTimeoutMs);
  const invoiceLinks = new InvoiceLinks();
  const menuButtons = new MenuButtons();
  return {
    events,
    chats,
    updates,
    webhook: new Webhook(updates, logger, options),
    callbacks,
    calls,
    files,
    throttle,
    stars,
    preCheckout,
    invoiceLinks,
    menuButtons,
    commands: new Commands(),
    /**
     * Forgets users, chats (and their menu buttons), pending updates, callback queries, calls,
     * files, a throttle, Stars balances, charges, invoice links and pre-checkout queries (a waiting
     * payment fails). The bot's own settings (webhook, commands, the menu button for all chats,
     * allowed updates) stay, and update ids keep growing, so a running bot carries on.
     */
    reset(): void {
      chats.clear();
      updates.clear();
      callbacks.clear();
      calls.clear();
      files.clear();
      throttle.clear();
      stars.clear();
      preCheckout.clear();
      invoiceLinks.clear();
      menuButtons.clearChats();
      events.publish({ type: 'reset', chatId: null });
    },
  };
}

export type World = ReturnType<typeof createWorld>;
