import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from 'pino';
import type { World } from '../world/index.ts';
import { botUser, Described, type Method } from './context.ts';
import { notFound, TelegramError, tooManyRequests, unauthorized } from './errors.ts';
import { answerCallbackQuery, deleteMyCommands, getMe, getMyCommands, setMyCommands } from './methods/bot.ts';
import {
  deleteMessage,
  deleteMessages,
  editMessageCaption,
  editMessageMedia,
  editMessageReplyMarkup,
  editMessageText,
} from './methods/edit.ts';
import { BOT_DOWNLOAD_MAX_BYTES, getFile } from './methods/files.ts';
import { getChatMenuButton, setChatMenuButton } from './methods/menu-button.ts';
import {
  answerPreCheckoutQuery,
  createInvoiceLink,
  getStarTransactions,
  refundStarPayment,
  sendInvoice,
} from './methods/payments.ts';
import { sendChatAction, sendMessage, sendPhoto } from './methods/send.ts';
import { deleteWebhook, getUpdates, getWebhookInfo, setWebhook } from './methods/updates.ts';
import { Params, readParams, type RawParams } from './params.ts';

const implemented: Record<string, Method> = {
  getMe,
  getUpdates,
  setWebhook,
  deleteWebhook,
  getWebhookInfo,
  setMyCommands,
  getMyCommands,
  deleteMyCommands,
  setChatMenuButton,
  getChatMenuButton,
  sendMessage,
  sendPhoto,
  sendChatAction,
  editMessageText,
  editMessageCaption,
  editMessageMedia,
  editMessageReplyMarkup,
  deleteMessage,
  deleteMessages,
  answerCallbackQuery,
  getFile,
  sendInvoice,
  createInvoiceLink,
  answerPreCheckoutQuery,
  refundStarPayment,
  getStarTransactions,
};
// Telegram matches method names case-insensitively.
const methods = new Map(
  Object.entries(implemented).map(([name, method]) => [name.toLowerCase(), { name, method }]),
);
// Telegram takes photos up to 10 MB; the whole multipart request may be a little larger.
const MAX_BODY_BYTES = 12 * 1024 * 1024;

export interface BotApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** Compares in constant time, so the answer's timing tells nothing about how much of a guess was right. */
function sameToken(given: string, expected: Buffer): boolean {
  const bytes = Buffer.from(given);
  return bytes.byteLength === expected.byteLength && timingSafeEqual(bytes, expected);
}

/**
 * The Bot API at `/bot<token>/<method>` and its file server at `/file/bot<token>/<file_path>`: Telegram's parameters (query, JSON, form, multipart),
 * answers and error codes, for the one bot `botToken` belongs to (any other token gets
 * Telegram's 401). Every call is recorded in the world's call log.
 */
export function createBotApi(world: World, logger: Logger, botToken: string) {
  const expected = Buffer.from(botToken);
  /** The chat a call sends to or answers in: what flood control counts. */
  const chatIdOf = (params: Params) => {
    const id = params.int('chat_id');
    if (typeof id === 'number') return id;
    const query = params.string('callback_query_id');
    return query === undefined ? undefined : world.callbacks.get(query)?.chatId;
  };
  /** The chat a call is about, for the call log: a pre-checkout answer too (never throttled). */
  const loggedChatIdOf = (params: Params, chatId: number | undefined) => {
    const preCheckout = params.string('pre_checkout_query_id');
    return chatId ?? (preCheckout === undefined ? undefined : world.preCheckout.get(preCheckout)?.chatId);
  };

  /** Runs one method as `token`; used by HTTP requests and by webhook replies. */
  async function invoke(
    token: string,
    requested: string,
    raw: RawParams,
    signal: AbortSignal,
  ): Promise<BotApiAnswer> {
    const at = Date.now();
    const params = new Params(raw);
    const found = methods.get(requested.toLowerCase());
    const chatId = chatIdOf(params);
    const loggedChatId = loggedChatIdOf(params, chatId);
    let answer: BotApiAnswer;
    try {
      if (!sameToken(token, expected)) throw unauthorized();
      if (!found) throw notFound();
      const retryAfter = chatId === undefined ? undefined : world.throttle.take();
      if (retryAfter !== undefined) throw tooManyRequests(retryAfter);
      const bot = botUser(token);
      const result = await found.method({ world, token, bot, params, signal, logger });
      answer =
        result instanceof Described
          ? { status: 200, body: { ok: true, result: result.result, description: result.description } }
          : { status: 200, body: { ok: true, result } };
    } catch (error) {
      if (!(error instanceof TelegramError))
        logger.error({ err: error, method: requested }, 'bot api method failed');
      const failure =
        error instanceof TelegramError ? error : new TelegramError(500, 'Internal Server Error');
      answer = { status: failure.code, body: failure.toJSON() };
    }
    const ok = answer.status === 200;
    world.calls.record({
      at,
      method: found?.name ?? requested,
      params: params.loggable(),
      ok,
      ...(ok ? {} : { errorCode: answer.status, description: String(answer.body.description) }),
      ...(loggedChatId === undefined ? {} : { chatId: loggedChatId }),
    });
    logger.debug({ method: requested, status: answer.status }, 'bot api call');
    return answer;
  }

  const app = new Hono();
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => c.json(new TelegramError(413, 'Request Entity Too Large').toJSON(), 413),
    }),
  );
  // A file download, as from Telegram's file server: the bot's own token and the path getFile gave.
  app.get('/file/*', (c) => {
    const [, token = '', filePath = ''] = /^\/file\/bot([^/]*)\/(.+)$/.exec(c.req.path) ?? [];
    if (!sameToken(token, expected)) return c.json(unauthorized().toJSON(), 401);
    const file = world.files.atPath(decodeURIComponent(filePath));
    if (!file?.bytes || file.bytes.byteLength > BOT_DOWNLOAD_MAX_BYTES)
      return c.json(notFound().toJSON(), 404);
    return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': file.contentType ?? 'application/octet-stream',
    });
  });
  app.all('*', async (c) => {
    const match = /^\/bot([^/]*)\/([^/]*)$/.exec(c.req.path);
    if (!match) return c.json(notFound().toJSON(), 404);
    let raw: RawParams;
    try {
      raw = await readParams(c.req);
    } catch (error) {
      if (!(error instanceof TelegramError)) throw error;
      return c.json(error.toJSON(), 400);
    }
    const [, token = '', method = ''] = match;
    const answer = await invoke(token, method, raw, c.req.raw.signal);
    return c.json(answer.body, answer.status as 200);
  });

  return { app, invoke };
}
