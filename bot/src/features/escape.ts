import { Composer } from 'grammy';
import type { BotContext, Dependencies } from '../context.ts';
import { guestMenu, mainMenu } from '../ui.ts';

const isCommand = (ctx: BotContext) =>
  ctx.msg?.entities?.[0]?.type === 'bot_command' && ctx.msg.entities[0].offset === 0;

/**
 * Mounted between the conversations plugin and the conversations themselves, so no
 * conversation ever swallows a command: `/cancel` leaves whatever is going on, and any other
 * command leaves it too (saying so) and then runs as usual.
 */
export function escapeFeature(deps: Dependencies) {
  const feature = new Composer<BotContext>();

  feature.command('cancel', async (ctx) => {
    const active = Object.keys(ctx.conversation.active());
    const signedIn = ctx.from ? Boolean(await deps.signIns.get(ctx.from.id)) : false;
    const reply_markup = signedIn ? mainMenu(ctx) : guestMenu(ctx);
    if (active.length === 0) {
      await ctx.reply(ctx.t('nothing-to-cancel'), { reply_markup });
      return;
    }
    await ctx.conversation.exitAll();
    await ctx.reply(ctx.t('cancelled'), { reply_markup });
  });

  feature.on('message', async (ctx, next) => {
    if (isCommand(ctx) && Object.keys(ctx.conversation.active()).length > 0) {
      await ctx.conversation.exitAll();
      await ctx.reply(ctx.t('left-conversation'));
    }
    return next();
  });
  return feature;
}
