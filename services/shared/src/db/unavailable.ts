import { ConnectionException } from '@mikro-orm/core';

// Node's socket errors: the server is not there, or went away mid-query.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
// PostgreSQL SQLSTATEs for "not now": shutting down, starting up, out of connections.
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
// pg reports these as plain Errors without a code.
const MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/;

/**
 * True when `error` (or an error it wraps) says PostgreSQL can't be reached right now, as opposed
 * to a bug in the query: the caller should answer 503 and let the client retry, not 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current instanceof ConnectionException) return true;
    const code = (current as { code?: unknown }).code;
    if (
      typeof code === 'string' &&
      (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith('08'))
    )
      return true;
    if (MESSAGES.test(current.message)) return true;
    current = current.cause;
  }
  return false;
}
