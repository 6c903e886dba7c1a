import { Composer } from 'grammy';
import { adminFormButton, announceButton } from '../admin/buttons.ts';
import { checkoutButtonOf } from '../buttons.ts';
import type { BotContext, Dependencies } from '../context.ts';
import { createPasswordSteps } from '../password-steps.ts';
import { menuFor } from '../ui.ts';

const isCommand = (ctx: BotContext) =>
  ctx.msg?.entities?.[0]?.type === 'bot_command' && ctx.msg.entities[0].offset === 0;

/**
 * Mounted between the conversations plugin and the conversations themselves, so no
 * conversation ever holds the chat: `/cancel` leaves whatever is going on; any other command,
 * and any button of another screen (a menu, the catalog, Back, My orders, Log out), leaves it
 * too, saying so, and then does what it says. Only the checkout's, the merchant's forms' and the
 * announcement's own buttons reach a conversation. A password step left this way still guards the
 * text that follows it.
 */
export function escapeFeature(deps: Dependencies) {
  const feature = new Composer<BotContext>();
  const steps = createPasswordSteps(deps);

  /** Leaves every active conversation; returns the name of the one that was active, if any. */
  const leave = async (ctx: BotContext): Promise<string | undefined> => {
    const [active] = Object.keys(ctx.conversation.active());
    if (active === undefined) return undefined;
    await ctx.conversation.exitAll();
    if (ctx.from) await steps.ended(ctx.from.id);
    return active;
  };

  feature.command('cancel', async (ctx) => {
    const left = await leave(ctx);
    const reply_markup = menuFor(ctx, ctx.from ? await deps.signIns.get(ctx.from.id) : undefined);
    await ctx.reply(ctx.t(left === undefined ? 'nothing-to-cancel' : 'cancelled'), { reply_markup });
  });

  feature.on('message', async (ctx, next) => {
    if (isCommand(ctx)) {
      const left = await leave(ctx);
      if (left !== undefined) await ctx.reply(ctx.t('left-conversation', { activity: left }));
    }
    return next();
  });

  feature.on('callback_query:data', async (ctx, next) => {
    const { data } = ctx.callbackQuery;
    if (
      checkoutButtonOf(data) === undefined &&
      adminFormButton.parse(data) === undefined &&
      announceButton.parse(data) === undefined
    ) {
      const left = await leave(ctx);
      if (left !== undefined) await ctx.reply(ctx.t('left-conversation', { activity: left }));
    }
    return next();
  });
  return feature;
}
