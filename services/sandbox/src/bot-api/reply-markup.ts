import type { InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton } from 'grammy/types';
import type { ReplyMarkup } from '../world/types.ts';
import { badRequest } from './errors.ts';
import type { Params } from './params.ts';
import { webAppUrl, type WebAppButtonKind } from './web-app-url.ts';

const PARSE_ERROR = "can't parse reply keyboard markup JSON object";
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const rowsOf = (value: unknown, field: string): unknown[][] => {
  if (!Array.isArray(value) || !value.every(Array.isArray)) {
    throw badRequest(
      `field "${field}" of the ${field === 'keyboard' ? 'ReplyKeyboardMarkup' : 'InlineKeyboardMarkup'} must be an Array of Arrays`,
    );
  }
  return value as unknown[][];
};

/** A button's `web_app` field ({url}) read as the Bot API reads it; `refusal` prefixes a parse error. */
function webAppOf(value: Record<string, unknown>, kind: WebAppButtonKind, refusal: string) {
  const { web_app: webApp } = value;
  if (!isObject(webApp)) throw badRequest(`${refusal}: Field "web_app" must be of type Object`);
  if (!('url' in webApp)) throw badRequest(`${refusal}: Can't find field "url"`);
  if (typeof webApp.url !== 'string') throw badRequest(`${refusal}: Field "url" must be of type String`);
  return { ...value, web_app: { url: webAppUrl(webApp.url, kind) } };
}

// Telegram counts callback_data in bytes: 1-64.
const callbackDataFits = (data: string) => data.length > 0 && Buffer.byteLength(data) <= 64;

function inlineButton(value: unknown): InlineKeyboardButton {
  if (!isObject(value) || typeof value.text !== 'string') {
    throw badRequest(`can't parse inline keyboard button: Field "text" must be of type String`);
  }
  const actions = Object.keys(value).filter(
    (key) => key !== 'text' && key !== 'style' && key !== 'icon_custom_emoji_id',
  );
  if (actions.length === 0) {
    throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  }
  if (
    'callback_data' in value &&
    !(typeof value.callback_data === 'string' && callbackDataFits(value.callback_data))
  ) {
    throw badRequest('BUTTON_DATA_INVALID');
  }
  if ('url' in value && !(typeof value.url === 'string' && URL.canParse(value.url))) {
    throw badRequest('BUTTON_URL_INVALID');
  }
  if ('web_app' in value)
    return webAppOf(
      value,
      'inline keyboard button',
      "can't parse inline keyboard button",
    ) as InlineKeyboardButton;
  return value as unknown as InlineKeyboardButton;
}

function replyButton(value: unknown): KeyboardButton {
  if (typeof value === 'string') return { text: value };
  if (isObject(value) && typeof value.text === 'string') {
    if ('web_app' in value)
      return webAppOf(value, 'keyboard button', "can't parse keyboard button") as KeyboardButton;
    return value as unknown as KeyboardButton;
  }
  throw badRequest(`can't parse keyboard button: Field "text" must be of type String`);
}

/** `reply_markup` checked the way Telegram checks it; `inlineOnly` for edits. */
export function readReplyMarkup(params: Params, { inlineOnly = false } = {}): ReplyMarkup | undefined {
  const raw = params.json('reply_markup', PARSE_ERROR);
  if (raw === undefined) return undefined;
  if (!isObject(raw)) throw badRequest(PARSE_ERROR);
  if ('inline_keyboard' in raw) {
    const inline_keyboard = rowsOf(raw.inline_keyboard, 'inline_keyboard').map((row) =>
      row.map(inlineButton),
    );
    return { inline_keyboard };
  }
  if (inlineOnly) throw badRequest('inline keyboard expected');
  if ('keyboard' in raw) {
    const keyboard = rowsOf(raw.keyboard, 'keyboard').map((row) => row.map(replyButton));
    return { ...raw, keyboard };
  }
  if (raw.remove_keyboard === true) return { ...raw, remove_keyboard: true };
  if (raw.force_reply === true) return { ...raw, force_reply: true };
  throw badRequest(PARSE_ERROR);
}

/** The part of a reply markup Telegram echoes in the Message object: only an inline keyboard. */
export const inlineKeyboardOf = (markup: ReplyMarkup | undefined): InlineKeyboardMarkup | undefined =>
  markup && 'inline_keyboard' in markup && markup.inline_keyboard.length > 0 ? markup : undefined;
