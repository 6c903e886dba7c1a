import type { ConvContext, Dependencies, ShopConversation } from '../context.ts';
import { askEmail, askPassword, passwordProblem, type PasswordAttempt } from './ask.ts';
import { signIn, type SignInOutcome } from './sign-in.ts';
import { finishSignIn } from './finish.ts';

/** Registration: e-mail, then password (deleted once read); then signed in and linked. */
export function registerConversation(deps: Dependencies) {
  return async function register(conversation: ShopConversation, ctx: ConvContext) {
    const from = ctx.from;
    if (from === undefined) return;
    const telegramId = from.id;
    await ctx.reply(ctx.t('register-ask-email'));
    const email = await askEmail(conversation);
    await ctx.reply(ctx.t('register-ask-password'));
    const { ctx: last, result } = await askPassword(
      conversation,
      deps,
      { telegramId, email },
      async (pwCtx, password): Promise<PasswordAttempt<SignInOutcome>> => {
        const problem = passwordProblem(password);
        if (problem) return { retry: pwCtx.t(problem) };
        // The latest profile: the password's message is the freshest word from Telegram.
        const outcome = await conversation.external(() =>
          signIn(deps, pwCtx.from ?? from, email, password, true),
        );
        if (outcome.kind === 'down') return { retry: pwCtx.t('auth-down-retry') };
        if (outcome.kind === 'rejected') return { retry: pwCtx.t('password-rejected') };
        if (outcome.kind === 'locked') return { lockedSeconds: outcome.seconds };
        return { done: outcome };
      },
    );
    await finishSignIn(last, result, email);
  };
}
