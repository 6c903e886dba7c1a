import type { InlineKeyboardMarkup, LabeledPrice } from 'grammy/types';
import type { World } from '../world/index.ts';
import type { InvoiceDetails } from '../world/types.ts';
import { badRequest } from './errors.ts';
import type { Params } from './params.ts';
import { inlineKeyboardOf, readReplyMarkup } from './reply-markup.ts';

// Telegram takes the currencies of its currencies.json; ICU's ISO 4217 list is a close stand-in.
const currencies = new Set([...Intl.supportedValuesOf('currency'), 'XTR']);
// Provider tokens as @BotFather hands them out: "<provider bot id>:TEST:<secret>" (or LIVE).
const PROVIDER_TOKEN = /^\d+:(TEST|LIVE):[\w-]+$/;

/** A parameter the Bot API requires: absent and empty are refused alike, in its words. */
export function required(params: Params, name: string): string {
  const value = params.string(name);
  if (value === undefined || value === '') throw badRequest(`parameter "${name}" is required`);
  return value;
}

function pricesFrom(params: Params): LabeledPrice[] {
  required(params, 'prices');
  const raw = params.json('prices', "can't parse prices JSON object");
  if (!Array.isArray(raw)) throw badRequest('expected an Array of labeled prices');
  const prices = raw.map((price: unknown): LabeledPrice => {
    if (typeof price !== 'object' || price === null || Array.isArray(price)) {
      throw badRequest("can't parse labeled price: LabeledPrice must be an Object");
    }
    const { label, amount } = price as Record<string, unknown>;
    if (typeof label !== 'string')
      throw badRequest(`can't parse labeled price: Field "label" must be of type String`);
    if (label === '') throw badRequest("can't parse labeled price: LabeledPrice label must be non-empty");
    const number = typeof amount === 'string' ? Number(amount) : amount;
    if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
      throw badRequest(`can't parse labeled price: Field "amount" must be of type Number`);
    }
    return { label, amount: number };
  });
  if (prices.length === 0) throw badRequest('there must be at least one price');
  return prices;
}

/** photo_url and its size: kept as a file the web chat fetches; a bad URL is ignored, as Telegram does. */
function photoFrom(world: World, params: Params): InvoiceDetails['photo'] {
  const url = params.string('photo_url') ?? '';
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) return undefined;
  const size = (name: string) => {
    const value = params.int(name);
    return typeof value === 'number' && value > 0 ? value : undefined;
  };
  const [width, height] = [size('photo_width'), size('photo_height')];
  return {
    fileId: world.files.add({ url }).fileId,
    ...(width ? { width } : {}),
    ...(height ? { height } : {}),
  };
}

/**
 * The invoice sendInvoice and createInvoiceLink take, checked as Telegram checks it: Bot API
 * parameter errors first, then Telegram's own (Stars take no provider token and exactly one
 * price; other currencies need the provider token from @BotFather).
 */
export function invoiceFrom(world: World, params: Params): InvoiceDetails {
  const title = required(params, 'title');
  const description = required(params, 'description');
  const payload = required(params, 'payload');
  const currency = required(params, 'currency');
  const prices = pricesFrom(params);
  const totalAmount = prices.reduce((sum, price) => sum + price.amount, 0);
  if (totalAmount <= 0) throw badRequest('total price must be positive');
  // Telegram's own wording for these two is not documented; the limits are (1-32, 1-255).
  if (title.length > 32) throw badRequest('TITLE_INVALID');
  if (description.length > 255) throw badRequest('DESCRIPTION_INVALID');
  if (Buffer.byteLength(payload) > 128) throw badRequest('INVOICE_PAYLOAD_INVALID');
  if (!currencies.has(currency)) throw badRequest('CURRENCY_INVALID');
  const providerToken = params.string('provider_token') ?? '';
  if (currency === 'XTR') {
    if (providerToken !== '' || prices.length !== 1) throw badRequest('STARS_INVOICE_INVALID');
  } else if (!PROVIDER_TOKEN.test(providerToken)) {
    throw badRequest('PAYMENT_PROVIDER_INVALID');
  }
  const photo = photoFrom(world, params);
  return {
    title,
    description,
    payload,
    providerToken,
    currency,
    prices,
    totalAmount,
    startParameter: params.string('start_parameter') ?? '',
    ...(photo ? { photo } : {}),
  };
}

/** An invoice's own keyboard: inline only, and its first button must be the Pay button. */
export function invoiceKeyboardFrom(params: Params): InlineKeyboardMarkup | undefined {
  const keyboard = inlineKeyboardOf(readReplyMarkup(params, { inlineOnly: true }));
  const first = keyboard?.inline_keyboard[0]?.[0];
  if (keyboard && !(first && 'pay' in first && first.pay)) throw badRequest('REPLY_MARKUP_BUY_EMPTY');
  return keyboard;
}
