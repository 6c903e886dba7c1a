import { InlineKeyboard } from 'grammy';
import { loginButton } from '../buttons.ts';
import type { ConvContext } from '../context.ts';
import { mainMenu } from '../ui.ts';
import type { SignInOutcome } from './sign-in.ts';

/** Tells the user how registration or login ended. */
export async function finishSignIn(ctx: ConvContext, outcome: SignInOutcome, email: string): Promise<void> {
  switch (outcome.kind) {
    case 'signed-in':
      await ctx.reply(ctx.t('signed-in', { email: outcome.email }), { reply_markup: mainMenu(ctx) });
      return;
    case 'email-taken':
      await ctx.reply(ctx.t('register-email-taken', { email }), {
        reply_markup: new InlineKeyboard().text(ctx.t('btn-login'), loginButton.build()),
      });
      return;
    case 'locked':
      await ctx.reply(ctx.t('login-locked', { seconds: outcome.seconds }));
      return;
    case 'telegram-linked-elsewhere':
      await ctx.reply(ctx.t('telegram-linked-elsewhere'));
      return;
    case 'account-linked-elsewhere':
      await ctx.reply(ctx.t('account-linked-elsewhere'));
      return;
    default:
      await ctx.reply(ctx.t('error-generic'));
  }
}
