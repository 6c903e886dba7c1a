/** Telegram invoices: their payload, their content, their photo (docs/decisions/telegram-payments.md). */
export * from './payload.ts';
export * from './invoice.ts';
export * from './invoice-photo.ts';
