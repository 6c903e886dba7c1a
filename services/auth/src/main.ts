import { createLogger, exitOnSignals, startServer } from '@shop/shared';
import { loadAuthConfig } from './config.ts';
import { buildAuth } from './wiring.ts';

const config = loadAuthConfig();
const logger = createLogger({ service: 'auth', level: config.LOG_LEVEL, format: config.LOG_FORMAT });
const auth = await buildAuth(config, logger);
const server = await startServer({
  fetch: auth.app.fetch,
  port: config.AUTH_PORT,
  logger,
  closers: auth.closers,
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
});
exitOnSignals(server.shutdown, logger, config.SHUTDOWN_TIMEOUT_MS);
