import { pino, type Logger } from 'pino';

/** What an access-log line says of a request: never its query, headers or body. */
export interface AccessFields {
  /** Absent when `log` already carries it (Hono's per-request child logger). */
  reqId?: string;
  method: string;
  /** The path alone: a query may carry secrets. */
  path: string;
  status: number;
}

// Probes are polled every few seconds; logging them would drown the real traffic.
const PROBES = new Set(['/health', '/ready', '/metrics']);

const sym = pino.symbols;

/** The parts of a pino logger (`pino.symbols`, pino's documented hooks for integrations) a line is built from. */
interface PinoParts {
  [sym.chindingsSym]: string;
  [sym.endSym]: string;
  [sym.formattersSym]: { log?: unknown };
  [sym.hooksSym]: { streamWrite?: unknown };
  [sym.lsCacheSym]: Record<number, string>;
  [sym.messageKeySym]: string;
  [sym.mixinSym]?: unknown;
  [sym.streamSym]: { write: (line: string) => unknown; [sym.needsMetadataGsym]?: boolean };
  [sym.timeSym]: () => string;
}

/**
 * Writes the access-log line of a request (probes excepted) at info; `log` is the request's
 * logger or the service's.
 *
 * The line is built here and written straight to the logger's destination, byte for byte the
 * line `log.info({ ...fields, ms }, 'request')` would write, but without pino's redaction, whose
 * wildcard paths cost more than the rest of a cached answer (docs/decisions/cheap-access-logs.md).
 * That is sound because the line holds only the fields above (a request id that passed
 * `requestIdFrom`, the method, the path without its query, the status, the time taken), none
 * named like anything redacted. A logger whose output pino would shape further (a mixin, a `log`
 * formatter, a `streamWrite` hook, a multistream) gets the line from pino itself.
 */
export function logRequest(log: Logger, fields: AccessFields, started: number): void {
  if (PROBES.has(fields.path) || !log.isLevelEnabled('info')) return;
  const ms = Math.round((performance.now() - started) * 10) / 10;
  const parts = log as unknown as PinoParts;
  const stream = parts[sym.streamSym];
  if (
    parts[sym.mixinSym] ||
    parts[sym.formattersSym].log ||
    parts[sym.hooksSym].streamWrite ||
    stream[sym.needsMetadataGsym] === true
  ) {
    log.info({ ...fields, ms }, 'request');
    return;
  }
  const info = log.levels.values.info ?? 30;
  stream.write(
    `${parts[sym.lsCacheSym][info]}${parts[sym.timeSym]()}${parts[sym.chindingsSym]}` +
      (fields.reqId === undefined ? '' : `,"reqId":${JSON.stringify(fields.reqId)}`) +
      `,"method":${JSON.stringify(fields.method)},"path":${JSON.stringify(fields.path)}` +
      `,"status":${fields.status},"ms":${ms},${JSON.stringify(parts[sym.messageKeySym])}:"request"${parts[sym.endSym]}`,
  );
}
