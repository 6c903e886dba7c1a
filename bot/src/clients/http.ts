import { ServiceUnavailableError } from '@shop/shared';
import { z } from 'zod';

/** A service answered with a 4xx: `code` is the contract's snake_case error code. */
export class ServiceResponseError extends Error {
  readonly service: string;
  readonly status: number;
  readonly code: string;
  readonly retryAfterSeconds: number | undefined;
  /** The error's `details`, unchecked: whoever reads them parses them with a schema. */
  readonly details: unknown;

  constructor(
    service: string,
    status: number,
    code: string,
    message: string,
    retryAfterSeconds?: number,
    details?: unknown,
  ) {
    super(`${service} answered ${status} ${code}: ${message}`);
    this.name = 'ServiceResponseError';
    this.service = service;
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
    this.details = details;
  }
}

export interface HttpClientOptions {
  service: string;
  baseUrl: string;
  timeoutMs: number;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** A binary body (a file), sent as application/octet-stream instead of `body`. */
  bytes?: Uint8Array;
  headers?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
}

/**
 * One HTTP helper for every service client: a timeout on each call, a down service (network
 * error, timeout, 5xx) becomes `ServiceUnavailableError(service)`, a 4xx becomes
 * `ServiceResponseError`, and a 2xx body is checked against the contract's schema.
 */
export function createHttpClient({ service, baseUrl, timeoutMs }: HttpClientOptions) {
  async function send(path: string, options: RequestOptions): Promise<Response> {
    const url = new URL(path, baseUrl);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.bytes !== undefined) headers['Content-Type'] = 'application/octet-stream';
    const body = options.bytes ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    let response: Response;
    try {
      response = await fetch(url, {
        method: options.method ?? 'GET',
        headers,
        body: body instanceof Uint8Array ? new Uint8Array(body) : body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new ServiceUnavailableError(service, error);
    }
    if (response.status >= 500) {
      await response.body?.cancel();
      throw new ServiceUnavailableError(service, new Error(`HTTP ${response.status}`));
    }
    if (response.status >= 400) throw await responseError(service, response);
    return response;
  }

  return {
    async json<S extends z.ZodType>(
      schema: S,
      path: string,
      options: RequestOptions = {},
    ): Promise<z.infer<S>> {
      const response = await send(path, options);
      let body: unknown;
      try {
        body = await response.json();
      } catch (error) {
        throw new ServiceUnavailableError(service, error);
      }
      const parsed = schema.safeParse(body);
      // A body that breaks the contract is the other side's bug; to the user it is an outage.
      if (!parsed.success) throw new ServiceUnavailableError(service, parsed.error);
      return parsed.data;
    },
    /** A binary body (a photo) of at most `maxBytes`; a larger one breaks the contract (an outage). */
    async bytes(path: string, maxBytes: number, options: RequestOptions = {}): Promise<Uint8Array> {
      const response = await send(path, options);
      if (Number(response.headers.get('Content-Length') ?? 0) > maxBytes) {
        await response.body?.cancel();
        throw new ServiceUnavailableError(service, new Error(`${path} is larger than ${maxBytes} bytes`));
      }
      let body: ArrayBuffer;
      try {
        body = await response.arrayBuffer();
      } catch (error) {
        throw new ServiceUnavailableError(service, error);
      }
      if (body.byteLength > maxBytes)
        throw new ServiceUnavailableError(service, new Error(`${path} is larger than ${maxBytes} bytes`));
      return new Uint8Array(body);
    },
    async empty(path: string, options: RequestOptions = {}): Promise<void> {
      const response = await send(path, options);
      await response.body?.cancel();
    },
  };
}

export type HttpClient = ReturnType<typeof createHttpClient>;

async function responseError(service: string, response: Response): Promise<ServiceResponseError> {
  let code = `http_${response.status}`;
  let message = response.statusText;
  let details: unknown;
  try {
    const body = (await response.json()) as {
      error?: { code?: unknown; message?: unknown; details?: unknown };
    };
    if (typeof body.error?.code === 'string') code = body.error.code;
    if (typeof body.error?.message === 'string') message = body.error.message;
    details = body.error?.details;
  } catch {
    // Not the contract's JSON: the status alone has to do.
  }
  const retryAfter = Number(response.headers.get('Retry-After'));
  return new ServiceResponseError(
    service,
    response.status,
    code,
    message,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    details,
  );
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A page of `item`s as every service answers a paged list: `{items, page, limit, total}`. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    page: z.number().int(),
    limit: z.number().int(),
    total: z.number().int(),
  });

/** A list as the contract says it: a bare array, or a `{items}` page, taken alike. */
export const listOf = <T extends z.ZodType>(item: T) =>
  z
    .union([z.array(item), z.object({ items: z.array(item) })])
    .transform((body) => (Array.isArray(body) ? body : body.items));
