import { createLogger, exitOnSignals } from '@shop/shared';
import { loadSandboxConfig } from './config.ts';
import { startSandbox } from './server.ts';

const config = loadSandboxConfig();
const logger = createLogger({ service: 'sandbox', level: config.LOG_LEVEL, format: config.LOG_FORMAT });
const sandbox = await startSandbox({
  botToken: config.TELEGRAM_BOT_TOKEN,
  port: config.SANDBOX_PORT,
  hostname: config.SANDBOX_HOST,
  logger,
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  preCheckoutTimeoutMs: config.SANDBOX_PRE_CHECKOUT_TIMEOUT_MS,
});
logger.info(`web chat: http://localhost:${sandbox.port}/  Bot API root: http://localhost:${sandbox.port}`);
exitOnSignals(sandbox.close, logger, config.SHUTDOWN_TIMEOUT_MS);
