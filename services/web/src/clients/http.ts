import { ServiceUnavailableError, type ReadinessCheck } from '@shop/shared';
import type { z } from 'zod';

/**
 * Another service's 4xx answer, which the page must act on (a 404 of an unknown product, a 409
 * of an order): its status and the contract's error `code` when it gave one.
 */
export class ServiceAnswer extends Error {
  readonly status: number;
  readonly code: string | undefined;

  constructor(service: string, status: number, code?: string) {
    super(`${service} answered ${status}${code ? ` ${code}` : ''}`);
    this.name = 'ServiceAnswer';
    this.status = status;
    this.code = code;
  }
}

/** A request that changes something: its method, JSON body and headers. */
export interface Sending {
  method: 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
}

const errorCodeOf = async (response: Response): Promise<string | undefined> => {
  const body = (await response.json().catch(() => undefined)) as { error?: { code?: unknown } } | undefined;
  return typeof body?.error?.code === 'string' ? body.error.code : undefined;
};

export interface ServiceCaller {
  /** GET `path`: the body checked against `schema`; a 4xx is a `ServiceAnswer`, anything else an outage. */
  json<S extends z.ZodType>(schema: S, path: string, headers?: Record<string, string>): Promise<z.infer<S>>;
  /**
   * `sending.method` `path` with a JSON body: the answer checked against `schema` (a 204's body
   * is `undefined`); a 4xx is a `ServiceAnswer` with the error's code, anything else an outage.
   */
  send<S extends z.ZodType>(schema: S, path: string, sending: Sending): Promise<z.infer<S>>;
  /** GET `path` as it comes (a photo): network errors, timeouts and 5xx are an outage. */
  raw(path: string, headers?: Record<string, string>): Promise<Response>;
  /** `/ready`'s check of the service: its `/health` answers. */
  readiness(critical: boolean): ReadinessCheck;
}

/**
 * Calls one service: each call within `timeoutMs`, and a service that does not answer, answers
 * 5xx or breaks the contract is `ServiceUnavailableError(service)` (a 503 page).
 */
export function serviceCaller(service: string, baseUrl: string, timeoutMs: number): ServiceCaller {
  async function call(path: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(new URL(path, baseUrl), { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new ServiceUnavailableError(service, error);
    }
    if (response.status >= 500) {
      await response.body?.cancel();
      throw new ServiceUnavailableError(service, new Error(`HTTP ${response.status}`));
    }
    return response;
  }
  const get = (path: string, headers: Record<string, string>) => call(path, { headers });

  async function parsed<S extends z.ZodType>(schema: S, response: Response): Promise<z.infer<S>> {
    if (response.status >= 400)
      throw new ServiceAnswer(service, response.status, await errorCodeOf(response));
    const body: unknown = response.status === 204 ? undefined : await response.json().catch(() => undefined);
    const result = schema.safeParse(body);
    if (!result.success) throw new ServiceUnavailableError(service, result.error);
    return result.data;
  }

  return {
    async json(schema, path, headers = {}) {
      return parsed(schema, await get(path, { Accept: 'application/json', ...headers }));
    },
    async send(schema, path, { method, body, headers = {} }) {
      const response = await call(path, {
        method,
        headers: {
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return parsed(schema, response);
    },
    raw: (path, headers = {}) => get(path, headers),
    readiness: (critical) => ({
      name: service,
      critical,
      check: async () => {
        const response = await get('/health', {});
        await response.body?.cancel();
        if (!response.ok) throw new Error(`${service} answered ${response.status}`);
      },
    }),
  };
}
