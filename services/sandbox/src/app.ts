import { createLogger, createServiceApp, initDataKey, type Logger } from '@shop/shared';
import { Hono } from 'hono';
import { createBotApi } from './bot-api/index.ts';
import { registerChatRoutes } from './routes/chat-routes.ts';
import { registerEventsRoute } from './routes/events-route.ts';
import { fileUploads, registerFileRoutes } from './routes/file-routes.ts';
import { registerInspectRoutes } from './routes/inspect-routes.ts';
import { registerLedgerRoutes } from './routes/ledger-routes.ts';
import { registerMiniAppRoutes } from './routes/mini-app-routes.ts';
import { registerPaymentRoutes } from './routes/payment-routes.ts';
import { registerRefusalRoutes } from './routes/refusal-routes.ts';
import { registerUpdateRoutes } from './routes/update-routes.ts';
import { registerFiles } from './web/files.ts';
import { registerWebChat } from './web/static.ts';
import { createWorld } from './world/index.ts';

export interface SandboxOptions {
  /** The bot token the Bot API accepts; every other token is answered 401 Unauthorized. */
  botToken: string;
  /** Default: silent. */
  logger?: Logger;
  /** First pause before a failed webhook delivery is retried (doubles per failure, up to 5 s). Default 100. */
  webhookRetryDelayMs?: number;
  /** How long a pre_checkout_query waits for answerPreCheckoutQuery. Default 10 000, Telegram's limit. */
  preCheckoutTimeoutMs?: number;
}

/**
 * The Telegram sandbox as a Hono app: the Bot API at `/bot<token>/<method>`, the control API
 * and event stream under `/sandbox/api`, the web chat at `/`, and `/health`, `/ready`,
 * `/metrics`, `/docs`. Nothing listens until the app is served; `close()` ends held
 * getUpdates calls, event streams and webhook delivery so a server can stop at once.
 */
export function createSandbox(options: SandboxOptions) {
  const logger = options.logger ?? createLogger({ service: 'sandbox', level: 'silent' });
  const world = createWorld(logger, {
    retryDelayMs: options.webhookRetryDelayMs ?? 100,
    ...(options.preCheckoutTimeoutMs === undefined
      ? {}
      : { preCheckoutTimeoutMs: options.preCheckoutTimeoutMs }),
  });
  const botApi = createBotApi(world, logger, options.botToken);
  world.webhook.onReply = async (token, { method, ...params }) => {
    await botApi.invoke(token, String(method), params, AbortSignal.timeout(60_000));
  };
  const closing = new AbortController();

  const service = createServiceApp({ service: 'sandbox', logger, readiness: [], largeBodies: fileUploads });
  registerChatRoutes(service, world);
  registerFileRoutes(service, world);
  registerInspectRoutes(service, world);
  registerRefusalRoutes(service, world);
  registerPaymentRoutes(service, world);
  registerLedgerRoutes(service, world);
  registerMiniAppRoutes(service, world, initDataKey(options.botToken));
  registerUpdateRoutes(service, world);
  registerEventsRoute(service, world, closing.signal);
  registerFiles(service, world);
  registerWebChat(service);

  // The Bot API stays outside the service app: Telegram's answers, not the contract's error
  // JSON, and no request log line carrying the token in its path.
  const app = new Hono();
  const isBotApi = (path: string) => path.startsWith('/bot') || path.startsWith('/file/bot');
  app.all('*', (c) => (isBotApi(c.req.path) ? botApi.app : service).fetch(c.req.raw, c.env));

  return {
    app,
    world,
    logger,
    close(): void {
      closing.abort();
      world.webhook.close();
      world.updates.release();
      world.preCheckout.clear();
    },
  };
}

export type Sandbox = ReturnType<typeof createSandbox>;
