import { InlineKeyboard } from 'grammy';
import { adminProductButton } from '../admin/buttons.ts';
import { asMerchant } from '../admin/actions.ts';
import type { ConvContext } from '../context.ts';
import { TelegramFileError, type TelegramFiles } from '../telegram-files.ts';
import { ask, type Form, persist, photoReader } from './admin-form.ts';

/** The catalog's refusals of an image, as the merchant is told them. */
const photoProblems: Record<number, string> = {
  413: 'admin-photo-too-large',
  415: 'admin-photo-unsupported',
  400: 'admin-photo-unreadable',
};

/**
 * Waits for a photo (or Skip, when `skippable`) and gives it to the catalog as the product's
 * photo: fetched from Telegram (getFile, then the file), then `PUT /products/:id/image`. A photo
 * Telegram or the catalog refuses is said, and the step asked again. Only the file_id goes
 * through the conversation's log, never the picture.
 */
export async function askPhoto(
  form: Form,
  files: TelegramFiles,
  product: string,
  skippable: boolean,
): Promise<{ ctx: ConvContext; set: boolean } | { ctx: ConvContext; gone: true }> {
  for (;;) {
    const answer = await ask(form, photoReader(skippable));
    const fileId = answer.value;
    if (fileId === null) return { ctx: answer.ctx, set: false };
    const { ctx, outcome } = await persist(form, answer.ctx, async () => {
      let bytes: Uint8Array;
      try {
        bytes = await files.download(fileId);
      } catch (error) {
        if (error instanceof TelegramFileError) {
          form.deps.logger.warn({ err: error }, 'could not fetch a photo from Telegram');
          return { kind: 'refused', status: 0, code: 'telegram_file' } as const;
        }
        throw error;
      }
      return asMerchant(form.deps, form.from, (token) =>
        form.deps.catalog.admin.setImage(token, product, bytes),
      );
    });
    if (outcome.kind === 'ok') return { ctx, set: true };
    if (outcome.kind === 'gone') return { ctx, gone: true };
    await ctx.reply(ctx.t(photoProblems[outcome.status] ?? 'admin-photo-unavailable'));
  }
}

/** "Saved" with a button that opens the product's card. */
export const savedProduct = (ctx: ConvContext, key: string, product: string) =>
  ctx.reply(ctx.t(key, { id: product }), {
    reply_markup: new InlineKeyboard().text(
      ctx.t('admin-btn-open-product'),
      adminProductButton.build({ product }),
    ),
  });
