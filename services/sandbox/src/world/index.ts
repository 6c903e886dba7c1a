import type { Logger } from 'pino';
import { Callbacks } from './callbacks.ts';
import { CallLog } from './calls.ts';
import { Chats } from './chats.ts';
import { Commands } from './commands.ts';
import { EventBus } from './events.ts';
import { Files } from './files.ts';
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
} from './types.ts';
export type { RecordedCall } from './calls.ts';
export type { CallbackRecord } from './callbacks.ts';

/** One Telegram world in memory: users, chats, the bot's pending updates, and what happened. */
export function createWorld(logger: Logger, options: WebhookOptions = {}) {
  const events = new EventBus();
  const updates = new UpdateQueue();
  const chats = new Chats(events);
  const callbacks = new Callbacks();
  const calls = new CallLog();
  const files = new Files();
  const throttle = new Throttle();
  return {
    events,
    chats,
    updates,
    webhook: new Webhook(updates, logger, options),
    callbacks,
    calls,
    files,
    throttle,
    commands: new Commands(),
    /**
     * Forgets users, chats, pending updates, callback queries, calls, files and a throttle. The bot's own
     * settings (webhook, commands, allowed updates) stay, and update ids keep growing, so a
     * running bot carries on.
     */
    reset(): void {
      chats.clear();
      updates.clear();
      callbacks.clear();
      calls.clear();
      files.clear();
      throttle.clear();
      events.publish({ type: 'reset', chatId: null });
    },
  };
}

export type World = ReturnType<typeof createWorld>;
