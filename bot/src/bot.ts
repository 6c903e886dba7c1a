import { autoRetry } from '@grammyjs/auto-retry';
import {
  conversations,
  createConversation,
  type ConversationData,
  type VersionedState,
} from '@grammyjs/conversations';
import { sequentialize } from '@grammyjs/runner';
import { RedisAdapter } from '@grammyjs/storage-redis';
import { ServiceUnavailableError } from '@shop/shared';
import { Bot, session, type ApiClientOptions, type BotError, type Context } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import {
  adminNewCategoryConversation,
  adminRenameCategoryConversation,
} from './conversations/admin-category.ts';
import { adminEditProductConversation } from './conversations/admin-edit.ts';
import { adminCancelOrderConversation, adminShipOrderConversation } from './conversations/admin-order.ts';
import { adminNewProductConversation } from './conversations/admin-product.ts';
import { announceConversation } from './conversations/announce.ts';
import { checkoutConversation } from './conversations/checkout.ts';
import { loginConversation } from './conversations/login.ts';
import { registerConversation } from './conversations/register.ts';
import type { BotContext, ConvContext, Dependencies, SessionData } from './context.ts';
import { accountFeature } from './features/account.ts';
import { adminFeature } from './features/admin.ts';
import { cartFeature } from './features/cart.ts';
import { catalogFeature } from './features/catalog.ts';
import { escapeFeature } from './features/escape.ts';
import { ordersFeature } from './features/orders.ts';
import { privateChatsOnly } from './features/private-chats.ts';
import { reorderFeature } from './features/reorder.ts';
import { searchFeature } from './features/search.ts';
import { startFeature } from './features/start.ts';
import { unhandledFeature } from './features/unhandled.ts';
import { createI18n, localeOf } from './i18n.ts';
import { paymentsFeature, type PaymentOptions } from './payments/feature.ts';
import { createTelegramFiles } from './telegram-files.ts';
import { unchangedEditsSucceed } from './unchanged-edits.ts';

export interface BotOptions {
  /** Preset in tests so the bot never calls getMe. */
  botInfo?: UserFromGetMe;
  /** `apiRoot` (TELEGRAM_API_ROOT), or a recording `fetch` in tests; conversations inherit it. */
  client?: ApiClientOptions;
  /** How payments are answered and recorded (webhook or long polling decides how long to try). */
  payments?: PaymentOptions;
}

// Bump when a conversation's steps change shape: stored replays of the old code are then dropped.
const CONVERSATION_VERSION = 5;
const SESSION_TTL_SECONDS = 30 * 86_400;

// Per user: past privateChatsOnly every chat is a private chat with its own user (chat id =
// user id), so no one shares another's session or conversation.
const userKey = (ctx: Context) => ctx.from?.id.toString();

/** Builds the shop bot from explicit dependencies; starts nothing. */
export function createBot(token: string, deps: Dependencies, options: BotOptions = {}) {
  const bot = new Bot<BotContext>(token, { botInfo: options.botInfo, client: options.client });
  // Retries 429 (after retry_after) and 5xx; conversations build their own Api, so they get it as a plugin.
  const retry = autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60 });
  bot.api.config.use(retry, unchangedEditsSucceed);
  const i18n = createI18n();

  // Ahead of everything else: see payments/feature.ts.
  bot.use(paymentsFeature(deps, i18n, options.payments));
  const root = bot.errorBoundary((error) => onError(error, deps, i18n));
  root.use(privateChatsOnly(i18n));
  // Updates of one user run one at a time (the runner is concurrent across users).
  root.use(sequentialize(userKey));
  root.use(
    session<SessionData, BotContext>({
      initial: () => ({}),
      getSessionKey: userKey,
      prefix: `${deps.keyPrefix}session:`,
      storage: new RedisAdapter<SessionData>({ instance: deps.redis, ttl: SESSION_TTL_SECONDS }),
    }),
  );
  root.use(i18n);
  root.use(
    conversations<BotContext, ConvContext>({
      storage: {
        type: 'key',
        version: CONVERSATION_VERSION,
        prefix: `${deps.keyPrefix}conversation:`,
        getStorageKey: userKey,
        adapter: new RedisAdapter<VersionedState<ConversationData>>({
          instance: deps.redis,
          ttl: deps.conversationTtlSeconds ?? 86_400,
        }),
      },
      plugins: [
        i18n,
        async (ctx, next) => {
          ctx.api.config.use(retry, unchangedEditsSucceed);
          await next();
        },
      ],
    }),
  );
  root.use(escapeFeature(deps));
  root.use(createConversation(registerConversation(deps), 'register'));
  root.use(createConversation(loginConversation(deps), 'login'));
  root.use(createConversation(checkoutConversation(deps), 'checkout'));
  // Files users send (a product's photo) are fetched through the same API root and fetch.
  const files = createTelegramFiles(token, options.client);
  root.use(createConversation(adminNewProductConversation(deps, files), 'adminNewProduct'));
  root.use(createConversation(adminEditProductConversation(deps, files), 'adminEditProduct'));
  root.use(createConversation(adminNewCategoryConversation(deps), 'adminNewCategory'));
  root.use(createConversation(adminRenameCategoryConversation(deps), 'adminRenameCategory'));
  root.use(createConversation(adminShipOrderConversation(deps), 'adminShipOrder'));
  root.use(createConversation(adminCancelOrderConversation(deps), 'adminCancelOrder'));
  root.use(createConversation(announceConversation(deps), 'announce'));
  root.use(
    adminFeature(deps),
    startFeature(deps),
    accountFeature(deps),
    catalogFeature(deps),
    cartFeature(deps),
    ordersFeature(deps),
    reorderFeature(deps),
    searchFeature(deps),
  );
  root.use(unhandledFeature());
  return bot;
}

export type ShopBot = ReturnType<typeof createBot>;

/** Last resort: log it, stop the button's spinner and tell the user something went wrong. */
async function onError(error: BotError<BotContext>, deps: Dependencies, i18n: ReturnType<typeof createI18n>) {
  const { ctx } = error;
  const down = error.error instanceof ServiceUnavailableError;
  deps.logger[down ? 'warn' : 'error']({ err: error.error, updateId: ctx.update.update_id }, 'update failed');
  // Redis down stops the update before i18n is installed: translate by the user's language all the same.
  const text = 't' in ctx ? ctx.t('error-generic') : i18n.t(localeOf(ctx), 'error-generic');
  try {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true });
    else if (ctx.chat) await ctx.reply(text);
  } catch (replyError) {
    deps.logger.warn({ err: replyError }, 'could not tell the user about the error');
  }
}
