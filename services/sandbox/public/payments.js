/* global document */
// Invoices and payment service messages, as Telegram shows them; and the words for a payment's outcome.

/** @import { Invoice, InlineButton, MessageView, Payment, PayOutcome } from './api.js' */

/**
 * An amount in a currency's smallest units, for people: "⭐ 50" for Telegram Stars, "€12.50".
 * @param {number} amount
 * @param {string} currency
 * @returns {string}
 */
export function formatAmount(amount, currency) {
  if (currency === 'XTR') return `⭐ ${amount.toLocaleString('en')}`;
  try {
    const format = new Intl.NumberFormat('en', { style: 'currency', currency });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(amount / 10 ** digits);
  } catch {
    return `${amount} ${currency}`;
  }
}

/**
 * The invoice card: photo, title, description and total; the Pay button goes under the bubble.
 * @param {Invoice} invoice
 * @returns {HTMLElement}
 */
export function invoiceCard(invoice) {
  const card = document.createElement('div');
  card.className = 'invoice';
  card.dataset.testid = 'invoice';
  if (invoice.photo) {
    const image = document.createElement('img');
    image.className = 'photo';
    image.dataset.testid = 'invoice-photo';
    image.src = invoice.photo.url;
    image.alt = invoice.title;
    image.loading = 'lazy';
    card.append(image);
  }
  const title = document.createElement('strong');
  title.dataset.testid = 'invoice-title';
  title.textContent = invoice.title;
  const description = document.createElement('div');
  description.className = 'text';
  description.textContent = invoice.description;
  const total = document.createElement('div');
  total.className = 'invoice-total';
  total.dataset.testid = 'invoice-total';
  total.textContent = formatAmount(invoice.totalAmount, invoice.currency);
  card.append(title, description, total);
  return card;
}

/**
 * The invoice's Pay button: the bot's own (the first button of its keyboard) or Telegram's
 * "Pay <total>"; once paid, Telegram's Receipt.
 * @param {Invoice} invoice
 * @param {InlineButton | undefined} own
 * @param {(button: HTMLButtonElement) => void} onPay
 * @returns {HTMLButtonElement}
 */
export function payButton(invoice, own, onPay) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'inline-button';
  button.dataset.testid = 'pay-button';
  if (invoice.paidChargeId) {
    button.textContent = 'Receipt';
    button.disabled = true;
    button.title = 'Paid';
    return button;
  }
  button.textContent = own?.text ?? `Pay ${formatAmount(invoice.totalAmount, invoice.currency)}`;
  button.addEventListener('click', () => onPay(button));
  return button;
}

/**
 * What a payment service message says in the chat.
 * @param {MessageView} view
 * @returns {string | undefined}
 */
export function serviceText(view) {
  /** @param {Payment} payment */
  const amount = (payment) => formatAmount(payment.totalAmount, payment.currency);
  if (view.successfulPayment) return `You paid ${amount(view.successfulPayment)} to Shop`;
  if (view.refundedPayment) return `Shop refunded ${amount(view.refundedPayment)} to you`;
  return undefined;
}

/** @type {Record<string, string>} */
const failures = {
  timeout: "The bot didn't confirm the order in time. You were not charged.",
  card_declined: 'Your card was declined. You were not charged.',
  insufficient_funds: 'Your card has insufficient funds. You were not charged.',
  processing_error: 'The payment provider could not process the payment. You were not charged.',
};

/**
 * What the user is told when a payment did not go through; undefined when it did.
 * @param {PayOutcome} outcome
 * @param {Invoice} invoice
 * @param {number | undefined} stars the user's balance
 * @returns {string | undefined}
 */
export function outcomeText(outcome, invoice, stars) {
  if (outcome.status === 'paid') return undefined;
  if (outcome.status === 'refused') return outcome.errorMessage ?? 'The bot refused the order.';
  if (outcome.reason === 'insufficient_stars') {
    const have = stars === undefined ? '' : ` You have ${formatAmount(stars, 'XTR')}.`;
    return `Not enough Stars: this costs ${formatAmount(invoice.totalAmount, 'XTR')}.${have}`;
  }
  return failures[outcome.reason ?? ''] ?? 'The payment failed. You were not charged.';
}
