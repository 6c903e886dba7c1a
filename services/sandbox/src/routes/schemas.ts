import { z } from '@hono/zod-openapi';

// Telegram user ids need up to 52 bits.
const MAX_USER_ID = 2 ** 52;
const optionalParam = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

export const chatParamsSchema = z.object({
  chatId: z.coerce
    .number<string>()
    .int()
    .positive()
    .max(MAX_USER_ID)
    .openapi({ param: { name: 'chatId', in: 'path' }, example: '1234567890', description: "The user's id" }),
});

export const newUserSchema = z
  .object({
    firstName: z.string().trim().min(1, 'must not be empty').max(64),
    languageCode: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, 'must be a language code such as en or ru')
      .default('en'),
    username: z
      .string()
      .regex(/^\w{1,32}$/, 'must be 1-32 letters, digits or underscores')
      .optional(),
    id: z.number().int().positive().max(MAX_USER_ID).optional(),
    phoneNumber: z
      .string()
      .regex(/^\+?\d{7,15}$/, 'must be 7 to 15 digits, optionally after a +')
      .optional()
      .openapi({ description: 'What sharing their contact sends; default: one of Telegram test numbers' }),
  })
  .openapi('NewSandboxUser');

export const userSchema = z
  .object({
    id: z.number().int(),
    firstName: z.string(),
    languageCode: z.string(),
    username: z.string().optional(),
    phoneNumber: z.string(),
  })
  .openapi('SandboxUser');

export const userListSchema = z.object({ users: z.array(userSchema) });

export const userMessageSchema = z
  .object({
    text: z
      .string()
      .refine((text) => text.trim() !== '', 'must not be empty')
      .refine((text) => text.length <= 4096, 'must be at most 4096 characters'),
  })
  .openapi('UserText');

export const invoiceSchema = z
  .object({
    title: z.string(),
    description: z.string(),
    currency: z.string(),
    totalAmount: z.number().int().openapi({ description: 'Smallest units; whole Stars for XTR' }),
    startParameter: z.string(),
    prices: z.array(z.object({ label: z.string(), amount: z.number().int() })),
    photo: z
      .object({ url: z.string(), width: z.number().optional(), height: z.number().optional() })
      .optional()
      .openapi({ description: 'photo_url, served by the sandbox' }),
    paidChargeId: z.string().optional().openapi({ description: 'The charge that paid it, once paid' }),
  })
  .openapi('SandboxInvoice');

const paymentViewSchema = z.object({
  currency: z.string(),
  totalAmount: z.number().int(),
  invoicePayload: z.string(),
  telegramPaymentChargeId: z.string(),
  providerPaymentChargeId: z.string().optional(),
});

export const messageViewSchema = z
  .object({
    messageId: z.number().int(),
    from: z.enum(['user', 'bot']),
    text: z.string(),
    entities: z.array(z.any()).optional().openapi({ description: "Telegram's MessageEntity objects" }),
    caption: z.string().optional(),
    captionEntities: z.array(z.any()).optional(),
    photo: z
      .object({ fileId: z.string(), url: z.string(), width: z.number(), height: z.number() })
      .optional(),
    contact: z
      .object({ phoneNumber: z.string(), firstName: z.string(), userId: z.number().int().optional() })
      .optional(),
    replyMarkup: z.any().optional().openapi({ description: 'The reply_markup the bot sent, as sent' }),
    parseMode: z.enum(['HTML', 'MarkdownV2', 'Markdown']).optional(),
    invoice: invoiceSchema.optional().openapi({ description: 'An invoice message (sendInvoice)' }),
    successfulPayment: paymentViewSchema
      .optional()
      .openapi({ description: 'A service message: the user paid (successful_payment)' }),
    refundedPayment: paymentViewSchema
      .optional()
      .openapi({ description: 'A service message: Stars given back (refunded_payment)' }),
    date: z.number().int().openapi({ description: 'Unix seconds' }),
    editDate: z.number().int().optional(),
  })
  .openapi('SandboxMessage');

export const messageListSchema = z.object({ messages: z.array(messageViewSchema) });
export const sentMessageSchema = z.object({ message: messageViewSchema });

export const pressSchema = z
  .object({
    messageId: z.number().int().positive(),
    data: z.string().min(1),
  })
  .openapi('ButtonPress');

export const pressResultSchema = z.object({ callbackQueryId: z.string() });

export const callsQuerySchema = z.object({
  method: optionalParam(z.string().max(64)).openapi({
    param: { name: 'method', in: 'query' },
    example: 'sendMessage',
  }),
  chatId: optionalParam(z.coerce.number<string>().int()).openapi({ param: { name: 'chatId', in: 'query' } }),
});

export const chatQuerySchema = z.object({
  chatId: optionalParam(z.coerce.number<string>().int()).openapi({ param: { name: 'chatId', in: 'query' } }),
});

export const callListSchema = z.object({
  calls: z.array(
    z.object({
      seq: z.number().int(),
      at: z.number().int().openapi({ description: 'Arrival, ms since the epoch' }),
      method: z.string(),
      params: z.record(z.string(), z.unknown()),
      ok: z.boolean(),
      errorCode: z.number().int().optional(),
      description: z.string().optional(),
      chatId: z.number().int().optional(),
    }),
  ),
});

export const callbackListSchema = z.object({
  callbacks: z.array(
    z.object({
      id: z.string(),
      chatId: z.number().int(),
      messageId: z.number().int(),
      data: z.string(),
      answered: z.boolean(),
      text: z.string().optional(),
      showAlert: z.boolean(),
    }),
  ),
});

export const commandListSchema = z.object({
  commands: z.array(z.object({ command: z.string(), description: z.string() })),
});

export const blockedSchema = z
  .object({
    blocked: z.boolean().openapi({ description: 'true: the user blocked the bot; false: unblocked it' }),
  })
  .openapi('Blocked');

export const throttleSchema = z
  .object({
    calls: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .default(1)
      .openapi({ description: 'How many calls get 429; 0 ends it' }),
    retryAfter: z
      .number()
      .int()
      .min(1)
      .max(3_600)
      .default(1)
      .openapi({ description: 'retry_after, in seconds' }),
  })
  .openapi('Throttle');
