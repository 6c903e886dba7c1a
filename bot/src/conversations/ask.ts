import type { Filter } from 'grammy';
import { z } from 'zod';
import type { ConvContext, ShopConversation } from '../context.ts';

/** Anything but text gets a hint (an old button gets its spinner stopped) and the wait goes on. */
async function notText(ctx: ConvContext) {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t('button-inactive') });
  else if (ctx.message) await ctx.reply(ctx.t('send-text'));
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

/** What to do with a password: ask again (saying why) or go on with a result. */
export type PasswordAttempt<T> = { retry: string } | { done: T };

/**
 * Waits for a password, deletes its message at once and hands it to `attempt`. On `retry` the
 * conversation rewinds to before the wait, so no password (right or wrong) is ever kept in the
 * conversation state that goes to Redis; `attempt` must not wait for updates itself.
 */
export async function askPassword<T>(
  conversation: ShopConversation,
  attempt: (ctx: ConvContext, password: string) => Promise<PasswordAttempt<T>>,
): Promise<{ ctx: ConvContext; result: T }> {
  const before = conversation.checkpoint();
  const ctx = await waitForText(conversation);
  try {
    await ctx.deleteMessage();
  } catch {
    // Too old or already gone: nothing more we can do about it.
  }
  const outcome = await attempt(ctx, ctx.msg.text);
  if ('retry' in outcome) {
    await ctx.reply(outcome.retry);
    return conversation.rewind(before);
  }
  return { ctx, result: outcome.done };
}
