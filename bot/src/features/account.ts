import { Composer } from 'grammy';
import { loginButton, logoutButton, onPress, registerButton } from '../buttons.ts';
import type { BotContext, Dependencies } from '../context.ts';
import { answer, guestMenu, mainMenu } from '../ui.ts';

/** `/register`, `/login`, `/logout` and their buttons. */
export function accountFeature(deps: Dependencies) {
  const feature = new Composer<BotContext>();

  const enter = (name: 'register' | 'login') => async (ctx: BotContext) => {
    await answer(ctx);
    const signIn = ctx.from ? await deps.signIns.get(ctx.from.id) : undefined;
    if (signIn) {
      await ctx.reply(ctx.t('already-signed-in', { email: signIn.email }), { reply_markup: mainMenu(ctx) });
      return;
    }
    await ctx.conversation.enter(name);
  };
  feature.command('register', enter('register'));
  onPress(feature, registerButton, enter('register'));
  feature.command('login', enter('login'));
  onPress(feature, loginButton, enter('login'));

  const logout = async (ctx: BotContext) => {
    await answer(ctx);
    const signIn = ctx.from ? await deps.signIns.get(ctx.from.id) : undefined;
    if (!signIn || !ctx.from) {
      await ctx.reply(ctx.t('logout-not-signed-in'), { reply_markup: guestMenu(ctx) });
      return;
    }
    await ctx.conversation.exitAll();
    await deps.signIns.signOut(ctx.from.id);
    await ctx.reply(ctx.t('logout-done'), { reply_markup: guestMenu(ctx) });
  };
  feature.command('logout', logout);
  onPress(feature, logoutButton, logout);
  return feature;
}
