import { Composer } from 'grammy';
import { helpButton, onPress } from '../buttons.ts';
import type { BotContext, Dependencies } from '../context.ts';
import { setChatMenuButton } from '../mini-app.ts';
import { answer, menuFor } from '../ui.ts';

/**
 * `/start` and `/help`. Everyone can shop at once with their Telegram account; whoever is not
 * signed in to an e-mail account is also offered Register / Log in, the others the main menu.
 * With a storefront Mini App, /start also labels the chat's menu button in the user's language.
 */
export function startFeature(deps: Dependencies) {
  const feature = new Composer<BotContext>();

  const start = async (ctx: BotContext) => {
    const signIn = ctx.from ? await deps.signIns.get(ctx.from.id) : undefined;
    const text = signIn?.email ? ctx.t('start-member', { email: signIn.email }) : ctx.t('start-guest');
    await ctx.reply(text, { reply_markup: menuFor(ctx, signIn) });
    if (deps.miniApp) await setChatMenuButton(ctx, deps.miniApp, deps.logger);
  };
  const help = async (ctx: BotContext) => {
    const signIn = ctx.from ? await deps.signIns.get(ctx.from.id) : undefined;
    await ctx.reply(ctx.t('help'), { reply_markup: menuFor(ctx, signIn) });
  };

  feature.command('start', start);
  feature.command('help', help);
  onPress(feature, helpButton, async (ctx) => {
    await answer(ctx);
    await help(ctx);
  });
  return feature;
}
