import type { SuccessfulPayment, RefundedPayment } from 'grammy/types';
import type { InvoiceView, MessageView, PaymentView, StoredMessage } from './types.ts';

/** Where the web chat loads a photo from (the sandbox serves every file it knows). */
export const fileUrl = (fileId: string) => `/sandbox/files/${encodeURIComponent(fileId)}`;

export function invoiceView({ details, paidChargeId }: NonNullable<StoredMessage['invoice']>): InvoiceView {
  const { title, description, currency, totalAmount, startParameter, prices, photo } = details;
  return {
    title,
    description,
    currency,
    totalAmount,
    startParameter,
    prices,
    ...(photo
      ? {
          photo: {
            url: fileUrl(photo.fileId),
            ...(photo.width ? { width: photo.width } : {}),
            ...(photo.height ? { height: photo.height } : {}),
          },
        }
      : {}),
    ...(paidChargeId ? { paidChargeId } : {}),
  };
}

const paymentView = (payment: SuccessfulPayment | RefundedPayment): PaymentView => ({
  currency: payment.currency,
  totalAmount: payment.total_amount,
  invoicePayload: payment.invoice_payload,
  telegramPaymentChargeId: payment.telegram_payment_charge_id,
  ...(payment.provider_payment_charge_id === undefined
    ? {}
    : { providerPaymentChargeId: payment.provider_payment_charge_id }),
});

/** A stored message as the control API and the SSE stream show it. */
export function messageView({ message, from, replyMarkup, parseMode, invoice }: StoredMessage): MessageView {
  const photo = message.photo?.at(-1);
  return {
    messageId: message.message_id,
    from,
    text: message.text ?? '',
    ...(message.entities?.length ? { entities: message.entities } : {}),
    ...(message.caption === undefined ? {} : { caption: message.caption }),
    ...(message.caption_entities?.length ? { captionEntities: message.caption_entities } : {}),
    ...(photo
      ? {
          photo: {
            fileId: photo.file_id,
            url: fileUrl(photo.file_id),
            width: photo.width,
            height: photo.height,
          },
        }
      : {}),
    ...(message.contact
      ? {
          contact: {
            phoneNumber: message.contact.phone_number,
            firstName: message.contact.first_name,
            ...(message.contact.user_id === undefined ? {} : { userId: message.contact.user_id }),
          },
        }
      : {}),
    ...(replyMarkup ? { replyMarkup } : {}),
    ...(parseMode ? { parseMode } : {}),
    ...(invoice ? { invoice: invoiceView(invoice) } : {}),
    ...(message.successful_payment ? { successfulPayment: paymentView(message.successful_payment) } : {}),
    ...(message.refunded_payment ? { refundedPayment: paymentView(message.refunded_payment) } : {}),
    date: message.date,
    ...(message.edit_date === undefined ? {} : { editDate: message.edit_date }),
  };
}
