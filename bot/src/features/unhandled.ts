import { Composer } from 'grammy';
import { checkoutButtonOf } from '../buttons.ts';
import type { BotContext } from '../context.ts';

/** Mounted last: whatever no feature took still gets an answer, and no button spins forever. */
export function unhandledFeature() {
  const feature = new Composer<BotContext>();
  // Confirm pressed again after the checkout finished (double tap, retried update): the order exists once.
  feature.on('callback_query', (ctx) => {
    const checkout = checkoutButtonOf(ctx.callbackQuery.data) !== undefined;
    return ctx.answerCallbackQuery({
      text: ctx.t(checkout ? 'checkout-finished' : 'button-inactive'),
      show_alert: true,
    });
  });
  feature.on('message', async (ctx) => {
    const command = ctx.msg.entities?.[0]?.type === 'bot_command';
    await ctx.reply(ctx.t(command ? 'unknown-command' : 'send-text-or-command'));
  });
  return feature;
}
