import { Composer } from 'grammy';
import { loginButton, logoutButton, onPress, registerButton } from '../buttons.ts';
import type { BotContext, Dependencies } from '../context.ts';
import { answer, guestMenu, mainMenu } from '../ui.ts';

/**
 * `/register`, `/login`, `/logout` and their buttons: an e-mail account is optional, for using the
 * shop outside Telegram too. Without one the user shops with their Telegram account (sign-ins.ts).
 */
export function accountFeature(deps: Dependencies) {
  const feature = new Composer<BotContext>();

  const enter = (name: 'register' | 'login') => async (ctx: BotContext) => {
    await answer(ctx);
    const signIn = ctx.from ? await deps.signIns.get(ctx.from.id) : undefined;
    if (signIn?.email) {
      await ctx.reply(ctx.t('already-signed-in', { email: signIn.email }), { reply_markup: mainMenu(ctx) });
      return;
    }
    // Signed in with Telegram alone: that account's orders stay with it (auth moves the link).
    if (signIn) await ctx.reply(ctx.t('email-account-note'));
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
    const done = signIn.email ? ctx.t('logout-done-email', { email: signIn.email }) : ctx.t('logout-done');
    await ctx.reply(done, { reply_markup: guestMenu(ctx) });
  };
  feature.command('logout', logout);
  onPress(feature, logoutButton, logout);
  return feature;
}
