import { Composer, InlineKeyboard, type Context } from 'grammy';
import type { BotContext } from '../context.ts';
import { type createI18n, localeOf } from '../i18n.ts';

/** A private chat with the user who sent the update: the only place the shop is served. */
const isOwnPrivateChat = (ctx: Context) =>
  ctx.chat?.type === 'private' && ctx.from?.id === ctx.chat.id && ctx.businessConnectionId === undefined;

/** A command meant for this bot (`/login` or `/login@this_bot`, not `/login@another_bot`). */
function isCommandForUs(ctx: Context): boolean {
  const entity = ctx.msg?.entities?.[0];
  if (entity?.type !== 'bot_command' || entity.offset !== 0) return false;
  const [, addressee] = (ctx.msg?.text ?? '').slice(0, entity.length).split('@');
  return addressee === undefined || addressee.toLowerCase() === ctx.me.username.toLowerCase();
}

const joinedGroup = (ctx: Context) => {
  const update = ctx.myChatMember;
  return (
    update !== undefined &&
    update.chat.type !== 'channel' &&
    ['member', 'administrator'].includes(update.new_chat_member.status) &&
    !['member', 'administrator'].includes(update.old_chat_member.status)
  );
};

/**
 * Mounted first, before sessions and conversations: the shop serves a user only in their own
 * private chat, so nobody else in a group can press their buttons, see their orders or watch
 * them type a password. In a group or channel it only points to the private chat (when a
 * command is addressed to it, when it is added to a group, and as an alert for a button
 * press); it starts nothing there. A button press by anyone but the chat's own user is refused.
 * Updates that belong to no chat at all go on.
 */
export function privateChatsOnly(i18n: ReturnType<typeof createI18n>) {
  const feature = new Composer<BotContext>();
  feature.use(async (ctx, next) => {
    if (isOwnPrivateChat(ctx)) return next();
    const t = (key: string) => i18n.t(localeOf(ctx), key, { link: `https://t.me/${ctx.me.username}` });
    if (ctx.callbackQuery) {
      const someonesChat = ctx.chat?.type === 'private';
      await ctx.answerCallbackQuery({
        text: t(someonesChat ? 'not-your-button' : 'private-only-alert'),
        show_alert: true,
      });
      return;
    }
    if (ctx.chat === undefined && ctx.businessConnectionId === undefined) return next();
    if (ctx.chat?.type === 'private') return;
    if ((ctx.message ?? ctx.channelPost) && isCommandForUs(ctx)) await pointToPrivateChat(ctx, t);
    else if (joinedGroup(ctx)) await pointToPrivateChat(ctx, t);
  });
  return feature;
}

async function pointToPrivateChat(ctx: Context, t: (key: string) => string) {
  const command = ctx.msg?.message_id;
  await ctx.reply(t('private-only'), {
    reply_markup: new InlineKeyboard().url(t('btn-open-private-chat'), `https://t.me/${ctx.me.username}`),
    link_preview_options: { is_disabled: true },
    ...(command === undefined
      ? {}
      : { reply_parameters: { message_id: command, allow_sending_without_reply: true } }),
  });
}
