import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Logger } from 'pino';

export interface ListenOptions {
  url: string;
  /** A plain identifier (`[a-z_][a-z0-9_]*`). */
  channel: string;
  logger: Logger;
  /** Called on every NOTIFY, and after each (re)connect since notifications may have been missed. */
  onNotify: () => void;
}

const RECONNECT_DELAY_MS = 1_000;

/**
 * Keeps one dedicated connection LISTENing on `channel` (a pooled connection would lose the
 * LISTEN when returned), reconnecting whenever it drops. Returns a function that stops it.
 */
export function listenForNotifications({
  url,
  channel,
  logger,
  onNotify,
}: ListenOptions): () => Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel))
    throw new Error(`invalid LISTEN channel ${JSON.stringify(channel)}`);
  let client: pg.Client | undefined;
  const abort = new AbortController();
  const stopped = () => abort.signal.aborted;

  const session = async () => {
    const current = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    client = current;
    const ended = new Promise<void>((resolve) => current.once('end', resolve));
    current.on('error', (error) => logger.warn({ err: error }, 'LISTEN connection error'));
    current.on('notification', () => onNotify());
    try {
      await current.connect();
      await current.query(`listen ${channel}`);
      onNotify();
      await ended;
    } finally {
      await current.end().catch(() => {});
    }
  };

  const loop = (async () => {
    while (!stopped()) {
      try {
        await session();
      } catch (error) {
        if (!stopped())
          logger.warn({ err: error }, 'cannot LISTEN for outbox notifications; polling meanwhile');
      }
      if (!stopped()) await sleep(RECONNECT_DELAY_MS, undefined, { signal: abort.signal }).catch(() => {});
    }
  })();

  return async () => {
    abort.abort();
    await client?.end().catch(() => {});
    await loop;
  };
}
