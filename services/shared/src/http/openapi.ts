import { z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { ZodType } from 'zod';

/** The contract's error body, for documenting error responses. */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'validation_failed' }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

/** A required JSON request body: a missing or non-JSON body fails validation instead of skipping it. */
export function jsonBody<T extends ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } } as const;
}

/**
 * An optional JSON request body: a request without one is validated as `{}`, a JSON one against
 * `schema`; a body of another Content-Type is 415. Put `emptyBodyIsNone` in the route's
 * middleware, so an empty body counts as none whatever its Content-Type says.
 */
export function optionalJsonBody<T extends ZodType>(schema: T) {
  return { required: false, content: { 'application/json': { schema } } } as const;
}

/**
 * Route middleware for an `optionalJsonBody`: a request whose body is empty is handled as one
 * without a body (and without a Content-Type), so a client that always sends
 * `Content-Type: application/json` is not refused for sending nothing.
 */
export const emptyBodyIsNone: MiddlewareHandler = async (c, next) => {
  if (c.req.header('content-type') !== undefined && (await c.req.text()) === '') {
    const headers = new Headers(c.req.raw.headers);
    headers.delete('content-type');
    c.req.raw = new Request(c.req.raw.url, { method: c.req.raw.method, headers });
  }
  await next();
};

/** A JSON response for the route's `responses` map. */
export function jsonResponse<T extends ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } } as const;
}

/** Documented error responses, keyed by status. */
export function errorResponses(...statuses: number[]) {
  const descriptions: Record<number, string> = {
    400: 'Invalid input',
    401: 'Missing or invalid access token',
    403: 'Wrong role',
    404: 'Not found',
    409: 'Conflict',
    413: 'Body too large',
    415: 'Unsupported media type',
    422: 'Idempotency key reused with another body',
    429: 'Throttled',
    503: 'A dependency is down',
  };
  return Object.fromEntries(
    statuses.map((status) => [status, jsonResponse(errorBodySchema, descriptions[status] ?? 'Error')]),
  );
}
