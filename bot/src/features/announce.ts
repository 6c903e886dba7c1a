import { Composer } from 'grammy';
import { adminAnnounceButton } from '../admin/buttons.ts';
import { isAdmin } from '../admin/role.ts';
import { onPress } from '../buttons.ts';
import type { BotContext, Dependencies } from '../context.ts';
import { answer } from '../ui.ts';

/**
 * Announcements for admins (see conversations/announce.ts): `/announce`, and 📣 Announcement on
 * the merchant's menu. Mounted behind the merchant buttons' role check (features/admin.ts), which
 * has let the menu's button through only for an admin; the command asks the role itself. Anyone
 * else gets what an unknown command or an old button gets: the flow does not exist for them.
 */
export function announceFeature(deps: Dependencies) {
  const feature = new Composer<BotContext>();
  feature.command('announce', async (ctx, next) => {
    if (!(await isAdmin(deps, ctx))) return next();
    await ctx.conversation.enter('announce');
  });
  onPress(feature, adminAnnounceButton, async (ctx) => {
    await answer(ctx);
    await ctx.conversation.enter('announce');
  });
  return feature;
}
