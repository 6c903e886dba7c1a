/** The error shape every service answers with: `{"error":{"code","message","details?"}}`. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

/** A failure the client can act on; the HTTP layer turns it into the contract's error JSON. */
export class AppError extends Error {
  readonly status: ErrorStatus;
  readonly code: string;
  readonly details?: unknown;
  readonly headers?: Record<string, string>;

  constructor(
    status: ErrorStatus,
    code: string,
    message: string,
    details?: unknown,
    headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export const badRequest = (code: string, message: string, details?: unknown) =>
  new AppError(400, code, message, details);
export const unauthorized = (message = 'Missing or invalid access token') =>
  new AppError(401, 'unauthorized', message, undefined, { 'WWW-Authenticate': 'Bearer' });
export const forbidden = (message = 'You are not allowed to do this') =>
  new AppError(403, 'forbidden', message);
export const notFound = (what: string) => new AppError(404, 'not_found', `${what} was not found`);
export const conflict = (code: string, message: string, details?: unknown) =>
  new AppError(409, code, message, details);
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new AppError(
    429,
    'too_many_requests',
    message,
    { retryAfterSeconds },
    {
      'Retry-After': String(retryAfterSeconds),
    },
  );

/** A dependency (database, cache, broker, another service) is not answering. */
export class ServiceUnavailableError extends AppError {
  readonly dependency: string;

  constructor(dependency: string, cause?: unknown) {
    super(503, 'service_unavailable', `${dependency} is unavailable, try again shortly`);
    this.name = 'ServiceUnavailableError';
    this.dependency = dependency;
    if (cause !== undefined) this.cause = cause;
  }
}
