import { eventually } from '@shop/testkit';
import { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { expect } from 'vitest';
import type { RunningSandbox } from '../src/index.ts';
import { TOKEN } from './harness.ts';

/**
 * A grammY bot polling the sandbox, set up by the test; it records every update it gets.
 * Resolves once its first getUpdates is held open, so nothing the test does next is missed.
 */
export async function startBot(sandbox: Pick<RunningSandbox, 'url' | 'world'>, setup: (bot: Bot) => void) {
  const bot = new Bot(TOKEN, { client: { apiRoot: sandbox.url } });
  const received: Update[] = [];
  bot.use(async (ctx, next) => {
    received.push(ctx.update);
    await next();
  });
  setup(bot);
  const polling = bot.start({ timeout: 30 });
  await eventually(() => expect(sandbox.world.updates.polling).toBe(true));
  return {
    bot,
    received,
    stop: async () => {
      await bot.stop();
      await polling;
    },
  };
}
