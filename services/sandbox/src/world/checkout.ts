import { randomBytes } from 'node:crypto';
import type { Message, RefundedPayment, SuccessfulPayment, User } from 'grammy/types';
import { telegramUser, unixNow, type ChatState } from './chats.ts';
import type { World } from './index.ts';
import type { Charge } from './stars.ts';
import type { InvoiceDetails, MessageView } from './types.ts';
import { messageView } from './views.ts';

/** How a card payment can fail after the bot said yes, on request. */
export const cardFailures = ['card_declined', 'insufficient_funds', 'processing_error'] as const;
export type CardFailure = (typeof cardFailures)[number];

export type PayResult =
  | {
      status: 'paid';
      preCheckoutQueryId?: string;
      charge: Charge;
      /** The service message with successful_payment, from the user. */
      message: MessageView;
      /** The update that carried it to the bot; none when the bot does not take messages. */
      updateId?: number;
    }
  | { status: 'refused'; preCheckoutQueryId: string; errorMessage: string }
  | {
      status: 'failed';
      reason: 'timeout' | 'insufficient_stars' | CardFailure;
      preCheckoutQueryId?: string;
    };

/** What is paid: an invoice, and the message that carries it (none for an invoice link). */
export interface InvoiceSource {
  details: InvoiceDetails;
  messageId?: number;
}

const STARS = 'XTR';

/**
 * Pays an invoice as the chat's user, the way Telegram does: the bot gets a pre_checkout_query
 * and has the time limit to answer it; only a yes is charged (Stars from the user's balance, or
 * the card), and then the chat gets a service message with successful_payment, which goes to the
 * bot as a message update. A refusal, a timeout or a failed charge takes nothing.
 */
export async function pay(
  world: World,
  chat: ChatState,
  source: InvoiceSource,
  options: { fail?: CardFailure } = {},
): Promise<PayResult> {
  const { details } = source;
  const userId = chat.user.id;
  // Telegram's client offers to buy Stars instead of confirming: the bot hears nothing.
  if (details.currency === STARS && world.stars.balance(userId) < details.totalAmount) {
    return { status: 'failed', reason: 'insufficient_stars' };
  }
  const { record, answer } = world.preCheckout.open({
    chatId: chat.chat.id,
    currency: details.currency,
    totalAmount: details.totalAmount,
    invoicePayload: details.payload,
  });
  world.updates.push({
    pre_checkout_query: {
      id: record.id,
      from: telegramUser(chat.user),
      currency: details.currency,
      total_amount: details.totalAmount,
      invoice_payload: details.payload,
    },
  });
  const answered = await answer;
  const preCheckoutQueryId = record.id;
  if ('expired' in answered) return { status: 'failed', reason: 'timeout', preCheckoutQueryId };
  if (!answered.ok) return { status: 'refused', preCheckoutQueryId, errorMessage: answered.errorMessage };
  if (options.fail) return { status: 'failed', reason: options.fail, preCheckoutQueryId };
  // Taken now, not when the pay began: another payment may have spent the Stars meanwhile.
  if (details.currency === STARS && !world.stars.take(userId, details.totalAmount)) {
    return { status: 'failed', reason: 'insufficient_stars', preCheckoutQueryId };
  }
  return { preCheckoutQueryId, ...completePayment(world, chat, source) };
}

/**
 * The money is taken (Stars already off the balance): records the charge, posts the
 * successful_payment service message and hands it to the bot; marks the invoice message paid.
 */
export function completePayment(world: World, chat: ChatState, { details, messageId }: InvoiceSource) {
  const stars = details.currency === STARS;
  const charge: Charge = {
    telegramPaymentChargeId: stars
      ? `stx${randomBytes(30).toString('base64url')}`
      : `${chat.user.id}_${randomBytes(12).toString('hex')}`,
    providerPaymentChargeId: stars ? '' : `sandbox_ch_${randomBytes(12).toString('hex')}`,
    userId: chat.user.id,
    currency: details.currency,
    totalAmount: details.totalAmount,
    invoicePayload: details.payload,
    ...(messageId === undefined ? {} : { messageId }),
    date: unixNow(),
  };
  const from = telegramUser(chat.user);
  world.stars.record(charge, from);
  const invoiceMessage = messageId === undefined ? undefined : chat.messages.get(messageId);
  if (invoiceMessage?.invoice) {
    const invoice = { ...invoiceMessage.invoice, paidChargeId: charge.telegramPaymentChargeId };
    world.chats.replace(chat, { ...invoiceMessage, invoice });
  }
  const successful_payment: SuccessfulPayment = {
    currency: charge.currency,
    total_amount: charge.totalAmount,
    invoice_payload: charge.invoicePayload,
    telegram_payment_charge_id: charge.telegramPaymentChargeId,
    provider_payment_charge_id: charge.providerPaymentChargeId,
  };
  const { message, updateId } = serviceMessage(world, chat, { successful_payment });
  return { status: 'paid' as const, charge, message, ...(updateId === undefined ? {} : { updateId }) };
}

/**
 * The service message about a Stars refund: the bot's own message, which the Bot API still hands
 * to the bot as a message update (it does so for refunded_payment alone among its own messages).
 */
export function postRefund(world: World, chat: ChatState, charge: Charge, bot: User): void {
  const refunded_payment: RefundedPayment = {
    currency: charge.currency,
    total_amount: charge.totalAmount,
    invoice_payload: charge.invoicePayload,
    telegram_payment_charge_id: charge.telegramPaymentChargeId,
  };
  serviceMessage(world, chat, { refunded_payment }, { side: 'bot', from: bot });
}

function serviceMessage(
  world: World,
  chat: ChatState,
  content: Pick<Message, 'successful_payment' | 'refunded_payment'>,
  sender: { side: 'user' | 'bot'; from: User } = { side: 'user', from: telegramUser(chat.user) },
): { message: MessageView; updateId?: number } {
  const { side, from } = sender;
  const stored = world.chats.append(chat, side, (base): Message => ({ ...base, from, ...content }));
  const update = world.updates.push({ message: { ...stored.message, chat: chat.chat, from } });
  return { message: messageView(stored), ...(update ? { updateId: update.update_id } : {}) };
}
