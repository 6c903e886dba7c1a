import type { Filter } from 'grammy';
import { z } from 'zod';
import type { ConvContext, Dependencies, ShopConversation } from '../context.ts';
import { createPasswordSteps } from '../password-steps.ts';

/** Anything but text gets a hint (an old button gets its spinner stopped) and the wait goes on. */
async function notText(ctx: ConvContext) {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t('button-inactive') });
  else if (ctx.message) await ctx.reply(ctx.t('send-text'));
}

/**
 * An update a step did not ask for: a button of another message gets "older message" (its
 * spinner stopped), a message gets `hint` (what the step wants). The step goes on waiting.
 */
export async function stray(ctx: ConvContext, hint: string) {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t('button-inactive') });
  else if (ctx.message) await ctx.reply(ctx.t(hint));
}

export const waitForText = (conversation: ShopConversation): Promise<Filter<ConvContext, 'message:text'>> =>
  conversation.waitFor('message:text', { otherwise: notText });

// The same rule as auth's (services/auth/src/routes/schemas.ts), so the user hears it in chat first.
const emailSchema = z.string().trim().toLowerCase().pipe(z.email().max(254));

export async function askEmail(conversation: ShopConversation): Promise<string> {
  for (;;) {
    const ctx = await waitForText(conversation);
    const parsed = emailSchema.safeParse(ctx.msg.text);
    if (parsed.success) return parsed.data;
    await ctx.reply(ctx.t('email-invalid'));
  }
}

/** Bytes, not characters: bcrypt reads 72 bytes at most and a Cyrillic letter takes two. */
export function passwordProblem(password: string): 'password-too-short' | 'password-too-long' | undefined {
  const bytes = Buffer.byteLength(password, 'utf8');
  if (bytes < 8) return 'password-too-short';
  if (bytes > 72) return 'password-too-long';
  return undefined;
}

/** What to do with a password: ask again (saying why), wait out auth's lock, or go on with a result. */
export type PasswordAttempt<T> = { retry: string } | { lockedSeconds: number } | { done: T };

/** Whose password step this is: the lock auth answers with is per e-mail. */
export interface PasswordStep {
  telegramId: number;
  email: string;
}

async function deleteIt(ctx: ConvContext) {
  try {
    await ctx.deleteMessage();
  } catch {
    // Too old or already gone: nothing more we can do about it.
  }
}

/**
 * Waits for a password, deletes its message at once and hands it to `attempt`. On `retry` the
 * conversation rewinds to before the wait, so no password (right or wrong) is ever kept in the
 * conversation state that goes to Redis; `attempt` must not wait for updates itself. A lock
 * keeps the user in this step: until it ends every message is deleted unread and answered
 * with the wait, so nothing typed meanwhile reaches auth or is echoed by another feature.
 */
export async function askPassword<T>(
  conversation: ShopConversation,
  deps: Dependencies,
  step: PasswordStep,
  attempt: (ctx: ConvContext, password: string) => Promise<PasswordAttempt<T>>,
): Promise<{ ctx: ConvContext; result: T }> {
  const steps = createPasswordSteps(deps);
  await conversation.external(() => steps.waiting(step.telegramId, step.email));
  const before = conversation.checkpoint();
  const ctx = await waitForText(conversation);
  await deleteIt(ctx);
  const lockedSeconds = await conversation.external(() => steps.waiting(step.telegramId, step.email));
  if (lockedSeconds > 0) {
    await ctx.reply(ctx.t('login-still-locked', { seconds: lockedSeconds }));
    return conversation.rewind(before);
  }
  const outcome = await attempt(ctx, ctx.msg.text);
  if ('lockedSeconds' in outcome) {
    await conversation.external(() => steps.lock(step.telegramId, step.email, outcome.lockedSeconds));
    await ctx.reply(ctx.t('login-locked', { seconds: outcome.lockedSeconds }));
    return conversation.rewind(before);
  }
  if ('retry' in outcome) {
    await ctx.reply(outcome.retry);
    return conversation.rewind(before);
  }
  await conversation.external(() => steps.ended(step.telegramId));
  return { ctx, result: outcome.done };
}
