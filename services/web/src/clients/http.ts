import { ServiceUnavailableError, type ReadinessCheck } from '@shop/shared';
import type { z } from 'zod';

/** Another service's answer with a status the page must act on (a 404 of an unknown product). */
export class ServiceAnswer extends Error {
  readonly status: number;

  constructor(service: string, status: number) {
    super(`${service} answered ${status}`);
    this.name = 'ServiceAnswer';
    this.status = status;
  }
}

export interface ServiceCaller {
  /** GET `path`: the body checked against `schema`; a 4xx is a `ServiceAnswer`, anything else an outage. */
  json<S extends z.ZodType>(schema: S, path: string, headers?: Record<string, string>): Promise<z.infer<S>>;
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
  async function get(path: string, headers: Record<string, string>): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(new URL(path, baseUrl), { headers, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new ServiceUnavailableError(service, error);
    }
    if (response.status >= 500) {
      await response.body?.cancel();
      throw new ServiceUnavailableError(service, new Error(`HTTP ${response.status}`));
    }
    return response;
  }

  return {
    async json(schema, path, headers = {}) {
      const response = await get(path, { Accept: 'application/json', ...headers });
      if (response.status >= 400) {
        await response.body?.cancel();
        throw new ServiceAnswer(service, response.status);
      }
      const parsed = schema.safeParse(await response.json().catch(() => undefined));
      if (!parsed.success) throw new ServiceUnavailableError(service, parsed.error);
      return parsed.data;
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
