import { Composer } from 'grammy';
import { isAdmin } from '../admin-role.ts';
import type { BotContext, Dependencies } from '../context.ts';
import { answer } from '../ui.ts';

/**
 * Starts an announcement for an admin (see conversations/announce.ts). Anyone else gets what an
 * unknown command gets, or a pressed button the "older message" answer: the flow does not exist
 * for them. Answers the button press, if it was one; for a menu button, call it from its handler.
 */
export async function startAnnouncement(ctx: BotContext, deps: Dependencies): Promise<void> {
  if (!ctx.from || !(await isAdmin(deps, ctx.from))) {
    if (ctx.callbackQuery) await answer(ctx, ctx.t('button-inactive'), true);
    else await ctx.reply(ctx.t('unknown-command'));
    return;
  }
  await answer(ctx);
  await ctx.conversation.enter('announce');
}

/** `/announce` (admins only): a message to every buyer, previewed and confirmed first. */
export function announceFeature(deps: Dependencies) {
  const feature = new Composer<BotContext>();
  feature.command('announce', (ctx) => startAnnouncement(ctx, deps));
  return feature;
}
