import type { Socket } from 'node:net';
import type { Pool, PoolClient } from 'pg';

/**
 * What every connection of a pool bounded by `queryTimeoutMs` starts with: the server cancels a
 * statement that runs, or waits for a lock, longer than that, and ends a session left idle in a
 * transaction twice as long (its locks released).
 */
export function boundedSessionSettings(queryTimeoutMs: number) {
  return {
    statement_timeout: queryTimeoutMs,
    idle_in_transaction_session_timeout: 2 * queryTimeoutMs,
  };
}

/**
 * Cuts a connection that is in use and has heard nothing, and said nothing, for `silenceMs`:
 * the server's own timeout would have answered by then, so the server or the way to it is gone,
 * and whatever waits on that connection would wait for ever. The waiting query fails; the pool
 * drops the connection instead of lending it again. Idle connections in the pool are left alone.
 */
export function cutSilentConnections(pool: Pool, silenceMs: number): void {
  pool.on('connect', (client) => {
    const socket = socketOf(client);
    socket?.on('timeout', () =>
      socket.destroy(new Error(`no word from PostgreSQL for ${silenceMs} ms: connection cut`)),
    );
  });
  pool.on('acquire', (client) => socketOf(client)?.setTimeout(silenceMs));
  pool.on('release', (_error: Error | undefined, client: PoolClient) => socketOf(client)?.setTimeout(0));
}

/** The client's socket; pg-pool itself reaches it this way to cut a connection that times out. */
function socketOf(client: PoolClient): Socket | undefined {
  return (client as unknown as { connection?: { stream?: Socket } }).connection?.stream;
}
