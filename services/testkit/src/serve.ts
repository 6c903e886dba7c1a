import { startServer, type ServeOptions } from '@shop/shared';
import { testLogger } from './loggers.ts';

/** A service served over HTTP the way main.ts serves it, on a free loopback port. */
export interface ServedForTest {
  port: number;
  url: string;
  /** Drains the server, then closes its `closers`. */
  close: () => Promise<void>;
}

/**
 * Serves `fetch` as `startServer` does in production, on 127.0.0.1 and a port the system picks,
 * with a short drain: a test that stops it must not wait for stragglers.
 */
export async function serveForTest({
  fetch,
  front,
  logger = testLogger(),
  closers = [],
}: Pick<ServeOptions, 'fetch' | 'front'> &
  Partial<Pick<ServeOptions, 'logger' | 'closers'>>): Promise<ServedForTest> {
  const server = await startServer({
    fetch,
    front,
    port: 0,
    hostname: '127.0.0.1',
    logger,
    closers,
    shutdownTimeoutMs: 1_000,
  });
  return {
    port: server.port,
    url: `http://127.0.0.1:${server.port}`,
    close: () => server.shutdown('test over'),
  };
}
