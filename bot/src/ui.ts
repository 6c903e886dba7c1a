import { ServiceUnavailableError } from '@shop/shared';
import { InlineKeyboard } from 'grammy';
import {
  cartButton,
  categoriesButton,
  helpButton,
  loginButton,
  logoutButton,
  ordersButton,
  registerButton,
} from './buttons.ts';
import type { BotContext, Translator } from './context.ts';
import { SessionExpiredError } from './sign-ins.ts';

export interface View {
  text: string;
  keyboard?: InlineKeyboard;
}

/**
 * Shows a view where the user is looking: a button press edits its own message (browsing stays
 * in one message), a command or text sends a new one.
 */
export async function show(ctx: BotContext, view: View): Promise<void> {
  const options = { reply_markup: view.keyboard };
  // An edit that changes nothing succeeds (see unchanged-edits.ts).
  if (ctx.callbackQuery?.message) {
    await ctx.editMessageText(view.text, options);
    return;
  }
  await ctx.reply(view.text, options);
}

/** Answers the button press (if this is one) so the client stops its spinner. */
export async function answer(ctx: BotContext, text?: string, alert = false): Promise<void> {
  if (!ctx.callbackQuery) return;
  await ctx.answerCallbackQuery(text === undefined ? undefined : { text, show_alert: alert });
}

export const mainMenu = (ctx: Translator) =>
  new InlineKeyboard()
    .text(ctx.t('menu-catalog'), categoriesButton.build())
    .text(ctx.t('menu-cart'), cartButton.build())
    .row()
    .text(ctx.t('menu-orders'), ordersButton.build({ page: 1 }))
    .text(ctx.t('menu-help'), helpButton.build())
    .row()
    .text(ctx.t('btn-logout'), logoutButton.build());

export const guestMenu = (ctx: Translator) =>
  new InlineKeyboard()
    .text(ctx.t('btn-register'), registerButton.build())
    .text(ctx.t('btn-login'), loginButton.build())
    .row()
    .text(ctx.t('menu-catalog'), categoriesButton.build());

/**
 * Runs a screen that needs other services. A service that is down is said plainly with a Retry
 * button (`retryData`, built by the screen's codec) that repeats the same press; an expired
 * sign-in asks to log in again. Never silent.
 */
export async function guarded(
  ctx: BotContext,
  retryData: string,
  render: () => Promise<void>,
): Promise<void> {
  try {
    await render();
  } catch (error) {
    if (error instanceof ServiceUnavailableError) {
      const service = ctx.t(`service-${error.dependency}`);
      await show(ctx, {
        text: ctx.t('service-down', { service }),
        keyboard: new InlineKeyboard().text(ctx.t('btn-retry'), retryData),
      });
      await answer(ctx, ctx.t('service-down-short', { service }));
      return;
    }
    if (error instanceof SessionExpiredError) {
      await show(ctx, { text: ctx.t('session-expired'), keyboard: guestMenu(ctx) });
      await answer(ctx);
      return;
    }
    throw error;
  }
}
