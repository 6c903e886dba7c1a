import { createServer, type RequestListener, type Server, type ServerOptions } from 'node:http';
import { serve } from '@hono/node-server';
import type { Logger } from 'pino';

export interface Closer {
  name: string;
  close: () => Promise<unknown>;
}

export interface ServeOptions {
  fetch: (request: Request) => Response | Promise<Response>;
  port: number;
  hostname?: string;
  logger: Logger;
  /** Closed in order after the HTTP server has drained: consumers first, then pools. */
  closers: readonly Closer[];
  shutdownTimeoutMs: number;
  /** A node:http listener in front of the app (the catalog's `fastPath`); it hands what it doesn't answer to `app`. */
  front?: (app: RequestListener) => RequestListener;
}

export interface RunningServer {
  server: Server;
  port: number;
  /** Stops accepting, waits for in-flight requests, closes every dependency. */
  shutdown: (reason: string) => Promise<void>;
}

/** Starts the HTTP server and resolves once it listens. */
export function startServer({
  fetch,
  port,
  hostname = '0.0.0.0',
  logger,
  closers,
  shutdownTimeoutMs,
  front,
}: ServeOptions) {
  // The adapter's own listener, wrapped: the adapter still owns the server (and its options).
  // (typeof createServer is overloaded; this is its (options, listener) form.)
  const withFront =
    front &&
    (((options: ServerOptions, listener: RequestListener) =>
      createServer(options, front(listener))) as typeof createServer);
  return new Promise<RunningServer>((resolve, reject) => {
    const server = serve({ fetch, port, hostname, createServer: withFront }, (info) => {
      logger.info({ port: info.port }, `listening on http://localhost:${info.port}`);
      let closing: Promise<void> | undefined;
      const shutdown = (reason: string) => {
        closing ??= drain(server, closers, logger, reason, shutdownTimeoutMs);
        return closing;
      };
      server.off('error', reject);
      server.on('error', (error) => logger.error({ err: error }, 'http server error'));
      resolve({ server, port: info.port, shutdown });
    }) as Server;
    server.once('error', reject);
  });
}

async function drain(
  server: Server,
  closers: readonly Closer[],
  logger: Logger,
  reason: string,
  timeoutMs: number,
) {
  logger.info({ reason }, 'shutting down');
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive sockets hold close() open until they time out: close each one as soon as it is
  // idle, including sockets that finish their in-flight request after shutdown began.
  server.closeIdleConnections();
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
  await closed;
  clearInterval(sweep);
  clearTimeout(timer);
  for (const closer of closers) {
    try {
      await closer.close();
    } catch (error) {
      logger.warn({ err: error, dependency: closer.name }, 'error while closing');
    }
  }
  logger.info('stopped');
}

/** Runs `shutdown` on SIGTERM or SIGINT, then exits 0 (1 if shutdown itself fails or hangs). */
export function exitOnSignals(
  shutdown: (reason: string) => Promise<void>,
  logger: Logger,
  timeoutMs: number,
): void {
  const onSignal = (signal: NodeJS.Signals) => {
    const force = setTimeout(() => {
      logger.error('shutdown timed out, exiting');
      process.exit(1);
    }, timeoutMs + 2_000);
    force.unref();
    shutdown(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
