import type { IncomingMessage, RequestListener } from 'node:http';
import {
  apiSecurityHeaders,
  logRequest,
  requestIdFrom,
  type Logger,
  type ServiceMetrics,
} from '@shop/shared';

/**
 * A response's headers laid out once, as Hono's node adapter would send them (lower-case names
 * in sorted order, then `Content-Length`), with the slot the request id goes into.
 */
export interface PreparedHeaders {
  readonly list: readonly string[];
  readonly requestIdAt: number;
}

/** What a fast route answers. `route` is the metrics label Hono would give it (`/products/:id`). */
export interface FastAnswer {
  status: number;
  route: string;
  headers: PreparedHeaders;
  body?: Buffer;
}

/** Answers a plain GET from memory, or returns undefined to leave the request to Hono. */
export type FastHandler = (path: string, query: string, req: IncomingMessage) => FastAnswer | undefined;

export interface FastPathOptions {
  logger: Logger;
  metrics: ServiceMetrics;
  answer: FastHandler;
}

/** Lays out a fast answer's headers: the API security headers, `own`, `X-Request-Id`, the length. */
export function prepareHeaders(own: Record<string, string>, contentLength?: number): PreparedHeaders {
  const pairs = [...apiSecurityHeaders, ...Object.entries(own), ['X-Request-Id', '']].map(
    ([name, value]) => [name.toLowerCase(), value] as const,
  );
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const list = pairs.flat();
  if (contentLength !== undefined) list.push('Content-Length', String(contentLength));
  return { list, requestIdAt: list.indexOf('x-request-id') + 1 };
}

// @hono/node-server uses `http://<Host><url>` as the request URL as it stands when both pass
// these checks (its own, copied, minus `#`); anything else it normalises through `new URL`. The
// fast path only answers requests that Hono would see exactly as written, so both read the same
// path and query.
const PLAIN_HOST = /^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}))?$/;
const PLAIN_URL = /^\/[!$&-;=?-[\]_a-z~]*$/;
const DOT_SEGMENT = /\/\.\.?(?:[/?]|$)/;

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/** A GET without a body whose URL and Host Hono would take as they are. */
const plain = (req: IncomingMessage, url: string) =>
  req.method === 'GET' &&
  req.headers['content-length'] === undefined &&
  req.headers['transfer-encoding'] === undefined &&
  PLAIN_URL.test(url) &&
  !DOT_SEGMENT.test(url) &&
  PLAIN_HOST.test(req.headers.host ?? '');

/**
 * A node:http listener in front of a service's Hono app for its hottest reads (pass it to
 * `startServer` as `front`). `answer` serves what it can from memory; everything else (other
 * methods, a body, an unusual URL or Host, whatever `answer` declines) goes to Hono unchanged.
 * A fast answer carries what Hono's would: security headers, `X-Request-Id`, the request metrics
 * and the access-log line, from the same shared code.
 */
export function fastPath({ logger, metrics, answer }: FastPathOptions) {
  return (fallback: RequestListener): RequestListener =>
    (req, res) => {
      const started = performance.now();
      const url = req.url ?? '';
      const at = url.indexOf('?');
      const path = at < 0 ? url : url.slice(0, at);
      let found: FastAnswer | undefined;
      try {
        found = plain(req, url) ? answer(path, at < 0 ? '' : url.slice(at + 1), req) : undefined;
      } catch (error) {
        // A bug here must not take the process down: Hono still knows how to answer.
        logger.error({ err: error, path }, 'fast path failed; answering through Hono');
      }
      if (!found) {
        fallback(req, res);
        return;
      }
      const reqId = requestIdFrom(header(req, 'x-request-id'));
      const headers = found.headers.list.slice();
      headers[found.headers.requestIdAt] = reqId;
      res.writeHead(found.status, headers).end(found.body);
      const metric = metrics.child('GET', found.route, found.status);
      metric.count();
      metric.observe((performance.now() - started) / 1000);
      logRequest(logger, { reqId, method: 'GET', path, status: found.status }, started);
    };
}
