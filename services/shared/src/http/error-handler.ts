import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { AppError, type ErrorBody } from '../errors/index.ts';
import type { AppEnv } from './env.ts';

const codeByStatus: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  429: 'too_many_requests',
  503: 'service_unavailable',
};

// c.newResponse keeps the headers middleware already set (request id, security headers).
function errorJson(c: Context, status: number, body: ErrorBody, headers?: Record<string, string>): Response {
  return c.newResponse(JSON.stringify(body), status as ContentfulStatusCode, {
    'Content-Type': 'application/json; charset=utf-8',
    ...headers,
  });
}

/** The one error mapping: known errors become the contract's JSON, anything else is a logged bare 500. */
export const onError: ErrorHandler<AppEnv> = (error, c) => {
  if (error instanceof AppError) {
    // A dependency that failed is worth a warning with its cause; a 503 raised on purpose to shed
    // load (a full queue) is expected under a flood, and a stack per refusal would cost more than it tells.
    if (error.status === 503 && error.cause !== undefined)
      c.var.log.warn({ err: error.cause }, error.message);
    else if (error.status === 503) c.var.log.info({ code: error.code }, error.message);
    return errorJson(c, error.status, error.toBody(), error.headers);
  }
  if (error instanceof HTTPException && error.status < 500) {
    // Hono raises these for malformed JSON bodies and the like.
    const code = codeByStatus[error.status] ?? 'bad_request';
    return errorJson(c, error.status, {
      error: { code, message: error.message || code.replaceAll('_', ' ') },
    });
  }
  if (isDatabaseUnavailable(error)) {
    // An outage, not a bug: the client may retry (the contract's 503), and /ready says the same.
    c.var.log.warn({ err: error }, 'database unavailable');
    return errorJson(
      c,
      503,
      {
        error: {
          code: 'service_unavailable',
          message: 'The database is not answering right now; try again shortly',
        },
      },
      { 'Retry-After': '5' },
    );
  }
  c.var.log.error({ err: error }, 'unhandled error');
  return errorJson(c, 500, { error: { code: 'internal_error', message: 'Internal server error' } });
};

export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  errorJson(c, 404, { error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` } });

/** Turns a zod failure into the contract's 400 with per-field details. */
export function validationError(error: ZodError, target: string): AppError {
  const details = error.issues.map((issue) => ({
    path: [target, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const first = details[0];
  const message = first ? `Invalid ${first.path}: ${first.message}` : `Invalid ${target}`;
  return new AppError(400, 'validation_failed', message, details);
}
