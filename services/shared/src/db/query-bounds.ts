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
 * and whatever waits on that connection would wait for ever. The waiting query fails and the
 * pool drops the connection instead of lending it again. The idle ones, most likely gone the
 * same way, are closed with it: the next query opens a fresh connection rather than finding each
 * dead one in turn.
 */
export function cutSilentConnections(pool: Pool, silenceMs: number): void {
  const idle = new Set<Socket>();
  pool.on('connect', (client) => {
    const socket = socketOf(client);
    socket?.once('close', () => idle.delete(socket));
    socket?.on('timeout', () => {
      socket.destroy(new Error(`no word from PostgreSQL for ${silenceMs} ms: connection cut`));
      for (const other of idle) other.destroy(new Error('another connection went silent: closed'));
    });
  });
  pool.on('acquire', (client) => {
    const socket = socketOf(client);
    if (!socket) return;
    idle.delete(socket);
    socket.setTimeout(silenceMs);
  });
  pool.on('release', (_error: Error | undefined, client: PoolClient) => {
    const socket = socketOf(client);
    if (!socket) return;
    socket.setTimeout(0);
    idle.add(socket);
  });
}

/** The client's socket; pg-pool itself reaches it this way to cut a connection that times out. */
function socketOf(client: PoolClient): Socket | undefined {
  return (client as unknown as { connection?: { stream?: Socket } }).connection?.stream;
}
