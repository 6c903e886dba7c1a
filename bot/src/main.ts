import { runService } from '@shop/shared';
import { loadBotConfig } from './config.ts';
import { buildBot } from './wiring.ts';

await runService({
  name: 'bot',
  config: loadBotConfig(),
  port: (config) => config.BOT_PORT,
  build: (config, logger) => Promise.resolve(buildBot(config, logger)),
});
