import { Composer } from 'grammy';
import { searchButton } from '../buttons.ts';
import type { BotContext, Dependencies } from '../context.ts';
import { createPasswordSteps } from '../password-steps.ts';
import { guarded } from '../ui.ts';
import { searchScreen } from './catalog-screens.ts';

const MAX_QUERY = 100;

/**
 * Any plain text outside a conversation searches the catalog; mounted after every command.
 * Text that comes right after a password step may be that password sent again: it is deleted
 * and never searched for, so it is never echoed back in the chat.
 */
export function searchFeature(deps: Dependencies) {
  const feature = new Composer<BotContext>();
  const steps = createPasswordSteps(deps);
  feature.on('message:text', async (ctx, next) => {
    // The catalog refuses NUL characters (PostgreSQL text cannot hold them); they mean nothing in a search.
    const text = ctx.msg.text.replaceAll('\u0000', '').trim();
    if (text.startsWith('/')) return next();
    if (await steps.guarded(ctx.from.id)) {
      try {
        await ctx.deleteMessage();
      } catch {
        // Too old or already gone: either way it is not repeated here.
      }
      await ctx.reply(ctx.t('after-password-deleted'));
      return;
    }
    ctx.session.search = text.slice(0, MAX_QUERY);
    await guarded(ctx, searchButton.build({ page: 1 }), async () => {
      await searchScreen(ctx, deps, 1);
    });
  });
  return feature;
}
