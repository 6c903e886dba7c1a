import { Composer } from 'grammy';
import type { BotContext, Dependencies } from '../context.ts';
import { guarded } from '../ui.ts';
import { searchScreen } from './catalog-screens.ts';

const MAX_QUERY = 100;

/** Any plain text outside a conversation searches the catalog; mounted after every command. */
export function searchFeature(deps: Dependencies) {
  const feature = new Composer<BotContext>();
  feature.on('message:text', async (ctx, next) => {
    // The catalog refuses NUL characters (PostgreSQL text cannot hold them); they mean nothing in a search.
    const text = ctx.msg.text.replaceAll('\u0000', '').trim();
    if (text.startsWith('/')) return next();
    ctx.session.search = text.slice(0, MAX_QUERY);
    await guarded(ctx, 's:1', async () => {
      await searchScreen(ctx, deps, 1);
    });
  });
  return feature;
}
