import { z } from '@hono/zod-openapi';

/** Telegram's limits: a message text, and a photo's caption. */
export const MAX_TEXT_LENGTH = 4096;
export const MAX_CAPTION_LENGTH = 1024;

// PostgreSQL text cannot hold NUL; Telegram would not show it either.
const noNul = (value: string) => !value.includes('\u0000');

export const announcementRequestSchema = z
  .strictObject({
    text: z
      .string()
      .max(MAX_TEXT_LENGTH)
      .refine(noNul, 'must not contain NUL characters')
      .optional()
      .openapi({
        description: `The message (up to ${MAX_TEXT_LENGTH} characters), or the photo's caption (up to ${MAX_CAPTION_LENGTH}); sent as written, plain text`,
        example: 'New teas are in: 10% off everything until Sunday.',
      }),
    photoFileId: z
      .string()
      .regex(/^[\w-]{1,255}$/, "must be a Telegram file_id of this bot's")
      .optional()
      .openapi({ description: 'A photo the bot received (its Telegram file_id), sent with sendPhoto' }),
  })
  .superRefine(({ text, photoFileId }, ctx) => {
    if (photoFileId === undefined && (text === undefined || text.trim() === ''))
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'is required without a photo' });
    if (photoFileId !== undefined && text !== undefined && text.length > MAX_CAPTION_LENGTH)
      ctx.addIssue({
        code: 'custom',
        path: ['text'],
        message: `must be at most ${MAX_CAPTION_LENGTH} characters as a photo's caption`,
      });
  })
  .openapi('AnnouncementRequest');

export const announcementSchema = z
  .object({
    id: z.number().int(),
    status: z.enum(['sending', 'done']),
    text: z.string().nullable(),
    photoFileId: z.string().nullable(),
    total: z
      .number()
      .int()
      .openapi({ description: 'Buyers it is sent to: every chat known and not blocked when it was made' }),
    sent: z.number().int(),
    failed: z.number().int().openapi({ description: 'Not delivered, `blocked` included' }),
    blocked: z
      .number()
      .int()
      .openapi({ description: 'Chats that had blocked the bot (403); marked unreachable' }),
    left: z.number().int(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('Announcement');

// Lower case: Hono hands headers to the validator that way.
export const announcementHeadersSchema = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .openapi({
      param: { name: 'idempotency-key', in: 'header', required: true },
      description:
        'One announcement per admin and key: a repeat gets the first one back and sends nothing more',
      example: '3f0c9a4e-6f1d-4c59-9b57-0d6d3c1f2a10',
    }),
});

export const announcementParamsSchema = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,14}$/, 'must be an announcement number')
    .openapi({ param: { name: 'id', in: 'path' }, example: '12' }),
});
