import type { Logger } from 'pino';
import type { ShopBot } from './bot.ts';
import { setCommands } from './commands.ts';
import { setMenuButton, type MiniAppLinks } from './mini-app.ts';
import { startPolling, type Polling, type PollingOptions } from './polling.ts';

export interface Webhook {
  url: string;
  path: string;
  secret: string;
}

export interface TelegramConnection {
  /** Throws while the Bot API has not been reached yet, or while Telegram refuses our polling. */
  check(): Promise<void>;
  /** Stops taking updates; the ones in flight finish first. */
  stop(): Promise<void>;
}

/**
 * Connects the bot to the Bot API in the background: getMe, the command menu, the storefront's
 * menu button (when there is a Mini App), then the webhook or long polling. The Bot API (or the
 * local sandbox) may come up after the bot, so it keeps trying with a growing pause (up to 30 s);
 * `check()` says so meanwhile.
 */
export function connectTelegram(
  bot: ShopBot,
  logger: Logger,
  options: {
    webhook?: Webhook | undefined;
    apiRoot: string;
    polling: PollingOptions;
    miniApp?: MiniAppLinks | undefined;
  },
): TelegramConnection {
  const { webhook } = options;
  // An object, not two lets: the connect loop and stop() change it alike.
  const state = { connected: false, stopping: false };
  const stopping = () => state.stopping;
  let polling: Polling | undefined;

  const connect = async () => {
    for (let attempt = 1; !state.connected && !state.stopping; attempt++) {
      try {
        await bot.init();
        await setCommands(bot.api);
        if (options.miniApp) {
          // A refusal (Telegram taking only https, say) leaves the commands menu: the bot still starts.
          await setMenuButton(bot.api, options.miniApp).catch((error: unknown) => {
            logger.warn({ err: error }, 'could not set the menu button to the storefront');
          });
        }
        if (webhook) {
          await bot.api.setWebhook(webhook.url, {
            secret_token: webhook.secret,
            drop_pending_updates: false,
          });
        } else {
          await bot.api.deleteWebhook();
          // stop() may have come while deleteWebhook was on its way: then start nothing.
          if (stopping()) return;
          polling = startPolling(bot, logger, options.polling);
        }
        state.connected = true;
        logger.info(
          { username: bot.botInfo.username, mode: webhook ? 'webhook' : 'polling', apiRoot: options.apiRoot },
          'bot started',
        );
      } catch (error) {
        const delay = Math.min(30_000, 1_000 * 2 ** Math.min(attempt, 5));
        logger.warn({ err: error, attempt, retryInMs: delay }, 'cannot reach the Bot API yet');
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
      }
    }
  };
  void connect();

  return {
    check() {
      if (!state.connected) return Promise.reject(new Error('not connected to the Bot API yet'));
      const refusal = polling?.refusal();
      return refusal ? Promise.reject(new Error(refusal)) : Promise.resolve();
    },
    async stop() {
      state.stopping = true;
      await polling?.stop();
    },
  };
}
