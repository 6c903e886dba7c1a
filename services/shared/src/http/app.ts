import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import { AppError } from '../errors/index.ts';
import { logRequest } from './access-log.ts';
import { mountDocs } from './docs.ts';
import type { AppEnv } from './env.ts';
import { onError, onNotFound, validationError } from './error-handler.ts';
import { mountHealth, type ReadinessCheck } from './health.ts';
import { createMetrics, type ServiceMetrics } from './metrics.ts';
import { securityHeaders } from './security-headers.ts';

export interface ServiceAppOptions {
  service: string;
  logger: Logger;
  readiness: readonly ReadinessCheck[];
  bodyLimitBytes?: number;
  /** Routes that take a larger body than `bodyLimitBytes` (file uploads), each with its own limit. */
  largeBodies?: readonly LargeBodyRoute[];
  version?: string;
  /** Created here unless given: a fast path in front of the app shares it (the catalog's `fastPath`). */
  metrics?: ServiceMetrics;
  /** The API's headers unless given: a part serving HTML pages gives `pageSecurityHeaders(policy)`. */
  securityHeaders?: MiddlewareHandler;
  /** `GET /openapi.json` and `GET /docs`: every service has them; the storefront's pages are no API. */
  docs?: boolean;
}

/** A route whose body may be larger than the service's `bodyLimitBytes`, up to `maxBytes`. */
export interface LargeBodyRoute {
  method: string;
  /** Matched against the request's path. */
  path: RegExp;
  maxBytes: number;
}

const REQUEST_ID = /^[\w.:-]{1,64}$/;
// What Hono's requestId middleware itself accepts (limitLength 64) before it asks the generator.
const HONO_REQUEST_ID = /^[\w=-]{1,64}$/;

/** The request id of a request: its well-formed `X-Request-Id`, else a new UUID. */
export function requestIdFrom(incoming: string | undefined): string {
  return incoming && (HONO_REQUEST_ID.test(incoming) || REQUEST_ID.test(incoming))
    ? incoming
    : crypto.randomUUID();
}

/**
 * The Hono app every service starts from: request ids and per-request logger, secure headers,
 * body limit (413), metrics, the contract's error JSON, health, readiness and (unless `docs` is
 * false) API docs.
 * Routes are added by the caller; nothing here does I/O until a request arrives.
 */
export function createServiceApp(options: ServiceAppOptions) {
  const {
    service,
    logger,
    readiness,
    bodyLimitBytes = 64 * 1024,
    largeBodies = [],
    version = '1.0.0',
    docs = true,
  } = options;
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target);
    },
  });
  const metrics = options.metrics ?? createMetrics(service);

  app.use(
    requestId({
      limitLength: 64,
      generator: (c) => requestIdFrom(c.req.header('X-Request-Id')),
    }),
  );
  app.use(async (c, next) => {
    const log = logger.child({ reqId: c.var.requestId });
    c.set('log', log);
    const started = performance.now();
    await next();
    logRequest(log, { method: c.req.method, path: c.req.path, status: c.res.status }, started);
  });
  app.use(metrics.middleware);
  app.use(options.securityHeaders ?? securityHeaders);
  const limitOf = (maxBytes: number) => {
    const tooLarge = () => {
      throw new AppError(413, 'payload_too_large', `Request body is larger than ${maxBytes} bytes`);
    };
    return { maxBytes, tooLarge, stream: bodyLimit({ maxSize: maxBytes, onError: tooLarge }) };
  };
  const defaultLimit = limitOf(bodyLimitBytes);
  const routeLimits = largeBodies.map((route) => ({ ...route, limit: limitOf(route.maxBytes) }));
  // Hono's bodyLimit reads `c.req.raw.body`, which makes @hono/node-server build a full Request
  // with a web stream for the body (a tenth of the CPU of POST /orders) instead of reading it
  // straight from the socket (docs/decisions/body-limit-by-content-length.md). A body whose
  // length is announced cannot be longer (Node reads exactly that many bytes), so the header
  // alone decides; only a chunked body, of unknown length, is counted as it streams in. A GET or
  // HEAD without either has nothing to limit.
  app.use((c, next) => {
    const { method } = c.req;
    const bodyless = method === 'GET' || method === 'HEAD';
    const route = bodyless
      ? undefined
      : routeLimits.find((large) => large.method === method && large.path.test(c.req.path));
    const limit = route?.limit ?? defaultLimit;
    const length = c.req.header('content-length');
    const chunked = c.req.header('transfer-encoding') !== undefined;
    if (length !== undefined && !chunked) return Number(length) > limit.maxBytes ? limit.tooLarge() : next();
    if (!chunked && bodyless) return next();
    return limit.stream(c, next);
  });
  app.onError(onError);
  app.notFound(onNotFound);

  mountHealth(app, readiness);
  app.get('/metrics', async (c) =>
    c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType }),
  );
  if (docs) mountDocs(app, service, version);
  return app;
}

export type ServiceApp = ReturnType<typeof createServiceApp>;
