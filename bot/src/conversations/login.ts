import type { ConvContext, Dependencies, ShopConversation } from '../context.ts';
import { askEmail, askPassword, type PasswordAttempt } from './ask.ts';
import { finishSignIn } from './finish.ts';
import { signIn, type SignInOutcome } from './sign-in.ts';

/** Login: e-mail, then password (deleted once read); a wrong password asks for it again. */
export function loginConversation(deps: Dependencies) {
  return async function login(conversation: ShopConversation, ctx: ConvContext) {
    const from = ctx.from;
    if (from === undefined) return;
    const telegramId = from.id;
    await ctx.reply(ctx.t('login-ask-email'));
    const email = await askEmail(conversation);
    await ctx.reply(ctx.t('login-ask-password'));
    const { ctx: last, result } = await askPassword(
      conversation,
      deps,
      { telegramId, email },
      async (pwCtx, password): Promise<PasswordAttempt<SignInOutcome>> => {
        // The latest profile: the password's message is the freshest word from Telegram.
        const outcome = await conversation.external(() =>
          signIn(deps, pwCtx.from ?? from, email, password, false),
        );
        if (outcome.kind === 'wrong-password') return { retry: pwCtx.t('login-wrong') };
        if (outcome.kind === 'down') return { retry: pwCtx.t('auth-down-retry') };
        if (outcome.kind === 'locked') return { lockedSeconds: outcome.seconds };
        return { done: outcome };
      },
    );
    await finishSignIn(last, result, email);
  };
}
