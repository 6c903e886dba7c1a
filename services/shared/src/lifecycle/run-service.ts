import type { Logger } from 'pino';
import type { BaseConfig } from '../config/index.ts';
import { batchedStdout } from '../logger/batched-stdout.ts';
import { createLogger } from '../logger/index.ts';
import { exitOnSignals, startServer, type Closer, type ServeOptions } from './serve.ts';

export interface RunServiceOptions<C extends BaseConfig> {
  name: string;
  config: C;
  port: (config: C) => number;
  /** Connects the service's dependencies and builds its app (the service's `wiring.ts`). */
  build: (
    config: C,
    logger: Logger,
  ) => Promise<{
    app: { fetch: (request: Request) => Response | Promise<Response> };
    closers: readonly Closer[];
    front?: ServeOptions['front'];
  }>;
}

/**
 * What every service's `main.ts` does: a logger from config (JSON lines to stdout a batch per
 * event-loop turn, see `batchedStdout`), the service built over real dependencies, the HTTP
 * server started, and a graceful stop on SIGTERM/SIGINT.
 */
export async function runService<C extends BaseConfig>({
  name,
  config,
  port,
  build,
}: RunServiceOptions<C>): Promise<void> {
  const logger = createLogger({
    service: name,
    level: config.LOG_LEVEL,
    format: config.LOG_FORMAT,
    destination: batchedStdout,
  });
  const service = await build(config, logger);
  const server = await startServer({
    fetch: service.app.fetch,
    port: port(config),
    logger,
    closers: service.closers,
    front: service.front,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  });
  exitOnSignals(server.shutdown, logger, config.SHUTDOWN_TIMEOUT_MS);
}
