import { Composer } from 'grammy';
import { helpButton, onPress } from '../buttons.ts';
import type { BotContext, Dependencies } from '../context.ts';
import { answer, guestMenu, mainMenu } from '../ui.ts';

/** `/start` and `/help`: a guest is offered Register / Log in, a signed-in user the main menu. */
export function startFeature(deps: Dependencies) {
  const feature = new Composer<BotContext>();

  const start = async (ctx: BotContext) => {
    const signIn = ctx.from ? await deps.signIns.get(ctx.from.id) : undefined;
    if (signIn)
      await ctx.reply(ctx.t('start-member', { email: signIn.email }), { reply_markup: mainMenu(ctx) });
    else await ctx.reply(ctx.t('start-guest'), { reply_markup: guestMenu(ctx) });
  };
  const help = async (ctx: BotContext) => {
    const signedIn = ctx.from ? Boolean(await deps.signIns.get(ctx.from.id)) : false;
    await ctx.reply(ctx.t('help'), { reply_markup: signedIn ? mainMenu(ctx) : guestMenu(ctx) });
  };

  feature.command('start', start);
  feature.command('help', help);
  onPress(feature, helpButton, async (ctx) => {
    await answer(ctx);
    await help(ctx);
  });
  return feature;
}
