import { InlineKeyboard } from 'grammy';
import type { Message, User } from 'grammy/types';
import { ServiceUnavailableError } from '@shop/shared';
import { announceButton } from '../admin/buttons.ts';
import { isAdmin } from '../admin/role.ts';
import { ServiceResponseError } from '../clients/http.ts';
import type { AnnouncementDraft } from '../clients/notification.ts';
import type { ConvContext, Dependencies, ShopConversation } from '../context.ts';
import { stray } from './ask.ts';

/** The draft a message makes: its text, or its photo (the largest size) and caption. */
function draftOf(message: Message): AnnouncementDraft | undefined {
  const photo = message.photo?.at(-1);
  if (photo) return { photoFileId: photo.file_id, ...(message.caption ? { text: message.caption } : {}) };
  return message.text ? { text: message.text } : undefined;
}

/** Shows the draft exactly as buyers will get it (the notification service sends it the same way). */
async function preview(ctx: ConvContext, draft: AnnouncementDraft) {
  if ('photoFileId' in draft)
    await ctx.replyWithPhoto(draft.photoFileId, draft.text ? { caption: draft.text } : {});
  else await ctx.reply(draft.text, { link_preview_options: { is_disabled: true } });
}

/**
 * Still an admin? Asked at every step. If not, the flow ends as if it never existed for them: a
 * message gets the ordinary unknown-command reply, a button the "older message" answer.
 */
async function stillAdmin(conversation: ShopConversation, deps: Dependencies, ctx: ConvContext, from: User) {
  if (await conversation.external(() => isAdmin(deps, { from }))) return true;
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t('button-inactive'), show_alert: true });
  else await ctx.reply(ctx.t('unknown-command'));
  return false;
}

type Sending = { sent: true; total: number } | { sent: false; why: 'down' | 'refused' };

/**
 * An admin's announcement (started only for an admin, see features/announce.ts): the text or a
 * photo with a caption, a preview exactly as buyers will see it, then Send / Cancel. The
 * Idempotency-Key is drawn once per draft, so a double tap on Send, a retried update or Send
 * again after an outage make one announcement. The role is asked of auth again at each step.
 */
export function announceConversation(deps: Dependencies) {
  return async function announce(conversation: ShopConversation, ctx: ConvContext) {
    const admin = ctx.from;
    if (admin === undefined) return;
    await ctx.reply(ctx.t('announce-ask'));
    const written = await conversation.waitFor(['message:text', 'message:photo'], {
      otherwise: (other) => stray(other, 'announce-ask'),
    });
    if (!(await stillAdmin(conversation, deps, written, admin))) return;
    const draft = draftOf(written.msg);
    if (!draft) return;
    const idempotencyKey = await conversation.external(() => crypto.randomUUID());
    const tag = idempotencyKey.slice(0, 8);
    await preview(written, draft);
    const question = await written.reply(written.t('announce-confirm'), {
      reply_markup: new InlineKeyboard()
        .text(written.t('btn-announce-send'), announceButton.build({ tag, action: 'send' }))
        .text(written.t('btn-announce-cancel'), announceButton.build({ tag, action: 'cancel' })),
    });

    for (;;) {
      const press = await conversation.wait();
      const button = announceButton.parse(press.callbackQuery?.data);
      if (button?.tag !== tag || press.callbackQuery?.message?.message_id !== question.message_id) {
        await stray(press, 'announce-use-buttons');
        continue;
      }
      if (!(await stillAdmin(conversation, deps, press, admin))) return;
      if (button.action === 'cancel') {
        await press.answerCallbackQuery();
        await press.editMessageText(press.t('announce-cancelled'));
        return;
      }
      const sending = await conversation.external(async (): Promise<Sending> => {
        try {
          const { total } = await deps.signIns.withToken(admin, (token) =>
            deps.notification.announce(token, draft, idempotencyKey),
          );
          return { sent: true, total };
        } catch (error) {
          if (error instanceof ServiceUnavailableError) return { sent: false, why: 'down' };
          if (error instanceof ServiceResponseError && error.status === 403)
            return { sent: false, why: 'refused' };
          throw error;
        }
      });
      if (sending.sent) {
        await press.answerCallbackQuery();
        await press.editMessageText(press.t('announce-sending', { total: sending.total }));
        return;
      }
      if (sending.why === 'refused') {
        await press.answerCallbackQuery({ text: press.t('button-inactive'), show_alert: true });
        return;
      }
      // The buttons stay: Send again later sends this same announcement, once.
      await press.answerCallbackQuery({
        text: press.t('service-down', { service: press.t('service-notification') }),
        show_alert: true,
      });
    }
  };
}
