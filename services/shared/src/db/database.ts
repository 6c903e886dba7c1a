import { Client, type DatabaseError } from 'pg';

/** Postgres truncates longer identifiers silently, which would make the existence check lie. */
const MAX_IDENTIFIER_LENGTH = 63;

/** SQLSTATEs `CREATE DATABASE` raises when another process created the same name first. */
const ALREADY_EXISTS = new Set(['42P04', '23505']);

/**
 * Returns `serverUrl` pointing at database `dbName`; credentials, host and query
 * parameters (e.g. `sslmode`) are kept.
 */
export function databaseUrl(serverUrl: string, dbName: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(dbName)}`;
  return url.toString();
}

/**
 * Creates database `dbName` on the server at `serverUrl` unless it exists. Safe when several
 * processes start at once: losing the race to create it counts as success.
 */
export async function ensureDatabase(serverUrl: string, dbName: string): Promise<void> {
  assertDatabaseName(dbName);
  await withClient(maintenanceUrl(serverUrl), async (client) => {
    const found = await client.query('select 1 from pg_database where datname = $1', [dbName]);
    if (found.rowCount) return;
    try {
      await client.query(`create database ${quoteIdentifier(dbName)}`);
    } catch (error) {
      // Both processes can pass the lookup; the loser gets 42P04, or 23505 from the catalog index.
      if (!ALREADY_EXISTS.has(String((error as Partial<DatabaseError>).code))) throw error;
    }
  });
}

/**
 * Drops database `dbName` if it exists, disconnecting its sessions first. For tests and
 * throwaway databases; never called on a service's own database.
 */
export async function dropDatabase(serverUrl: string, dbName: string): Promise<void> {
  assertDatabaseName(dbName);
  await withClient(maintenanceUrl(serverUrl), async (client) => {
    // `with (force)` (PostgreSQL 13+): a pool that has not fully closed must not block the drop.
    await client.query(`drop database if exists ${quoteIdentifier(dbName)} with (force)`);
  });
}

/**
 * Runs `fn` while holding a session-level advisory lock on database `url`, so that only one
 * process at a time does it (e.g. migrations when several instances start together).
 * The lock lives on its own connection because an ORM pool gives no session affinity.
 */
export async function withAdvisoryLock<T>(url: string, lockName: string, fn: () => Promise<T>): Promise<T> {
  return withClient(url, async (client) => {
    await client.query('select pg_advisory_lock(hashtext($1))', [lockName]);
    // Ending the session in `withClient` releases the lock, also when `fn` throws.
    return fn();
  });
}

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // A dropped connection is emitted as 'error'; unhandled, it would crash the process. The
  // query in flight rejects by itself, so there is nothing else to do with it here.
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** The database named in the server URL (`postgres` when none): it always exists. */
function maintenanceUrl(serverUrl: string): string {
  const name = decodeURIComponent(new URL(serverUrl).pathname.replace(/^\//, ''));
  return databaseUrl(serverUrl, name || 'postgres');
}

function assertDatabaseName(dbName: string): void {
  if (!/^[a-z0-9_]+$/.test(dbName) || dbName.length > MAX_IDENTIFIER_LENGTH) {
    throw new Error(`Invalid database name ${JSON.stringify(dbName)}: use 1-63 of [a-z0-9_]`);
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
