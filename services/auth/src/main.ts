import { runService } from '@shop/shared';
import { loadAuthConfig } from './config.ts';
import { buildAuth } from './wiring.ts';

await runService({
  name: 'auth',
  config: loadAuthConfig(),
  port: (config) => config.AUTH_PORT,
  build: buildAuth,
});
