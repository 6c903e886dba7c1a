import type { Message } from 'grammy/types';
import { telegramUser, unixNow } from '../../world/chats.ts';
import { postRefund } from '../../world/checkout.ts';
import { senderOf, type Method } from '../context.ts';
import { badRequest } from '../errors.ts';
import { chatOf } from '../inputs.ts';
import { invoiceFrom, invoiceKeyboardFrom, required } from '../invoice-input.ts';

// Telegram's text for QUERY_ID_INVALID: unknown, already answered, or past the 10 s.
const QUERY_INVALID = 'query is too old and response timeout expired or query ID is invalid';

export const sendInvoice: Method = ({ world, params, bot }) => {
  const details = invoiceFrom(world, params);
  const keyboard = invoiceKeyboardFrom(params);
  const chat = chatOf(world, params);
  const stored = world.chats.append(
    chat,
    'bot',
    (base): Message => ({
      ...base,
      from: senderOf(bot),
      invoice: {
        title: details.title,
        description: details.description,
        start_parameter: details.startParameter,
        currency: details.currency,
        total_amount: details.totalAmount,
      },
      ...(keyboard ? { reply_markup: keyboard } : {}),
    }),
    { invoice: { details }, ...(keyboard ? { replyMarkup: keyboard } : {}) },
  );
  return stored.message;
};

export const createInvoiceLink: Method = ({ world, params }) =>
  world.invoiceLinks.create(invoiceFrom(world, params));

export const answerPreCheckoutQuery: Method = ({ world, params }) => {
  const id = params.string('pre_checkout_query_id') ?? '';
  const ok = params.bool('ok');
  const answer = ok ? ({ ok } as const) : ({ ok, errorMessage: required(params, 'error_message') } as const);
  if (!world.preCheckout.answer(id, answer)) throw badRequest(QUERY_INVALID);
  return true;
};

export const refundStarPayment: Method = ({ world, params, bot }) => {
  const userId = params.int('user_id');
  if (typeof userId !== 'number' || userId <= 0) throw badRequest('invalid user_id specified');
  const chargeId = required(params, 'telegram_payment_charge_id');
  const chat = world.chats.get(userId);
  if (!chat) throw badRequest('CHARGE_NOT_FOUND');
  const outcome = world.stars.refund(userId, chargeId, telegramUser(chat.user), unixNow());
  if ('error' in outcome) {
    throw badRequest(outcome.error === 'already_refunded' ? 'CHARGE_ALREADY_REFUNDED' : 'CHARGE_NOT_FOUND');
  }
  postRefund(world, chat, outcome.refunded, senderOf(bot));
  return true;
};

export const getStarTransactions: Method = ({ world, params }) => {
  const offset = params.int('offset');
  const limit = params.int('limit');
  return {
    transactions: world.stars.transactions(
      typeof offset === 'number' ? Math.max(0, offset) : 0,
      typeof limit === 'number' ? Math.min(100, Math.max(1, limit)) : 100,
    ),
  };
};
