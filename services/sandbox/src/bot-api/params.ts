import type { HonoRequest } from 'hono';
import { badRequest } from './errors.ts';

/** A method's parameters from the query string and the body (JSON, form, or multipart). */
export type RawParams = Record<string, unknown>;

/** Reads every place Telegram takes parameters from; body values win over the query string. */
export async function readParams(request: HonoRequest): Promise<RawParams> {
  const params: RawParams = request.query();
  if (request.method === 'GET' || request.method === 'HEAD') return params;
  const type = request.header('content-type') ?? '';
  if (type.includes('application/json')) {
    const text = await request.text();
    if (text.trim() === '') return params;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw badRequest("can't parse JSON object");
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw badRequest("can't parse JSON object");
    return { ...params, ...(body as RawParams) };
  }
  if (type.includes('multipart/form-data') || type.includes('application/x-www-form-urlencoded')) {
    try {
      return { ...params, ...(await request.parseBody()) };
    } catch {
      throw badRequest("can't parse request body");
    }
  }
  return params;
}

/**
 * Typed access to parameters that may arrive as JSON values or as strings (forms, multipart,
 * query), the way Telegram coerces them.
 */
export class Params {
  readonly raw: RawParams;

  constructor(raw: RawParams) {
    this.raw = raw;
  }

  has(name: string): boolean {
    const value = this.raw[name];
    return value !== undefined && value !== null && value !== '';
  }

  string(name: string): string | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return JSON.stringify(value);
  }

  /** An integer, or undefined when absent; `invalid` when present but not an integer. */
  int(name: string): number | 'invalid' | undefined {
    if (!this.has(name)) return undefined;
    const value = this.raw[name];
    const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
    return Number.isSafeInteger(number) ? number : 'invalid';
  }

  bool(name: string): boolean {
    const value = this.raw[name];
    return value === true || value === 'true' || value === '1' || value === 1;
  }

  /** A JSON-typed parameter (object or array), given as a value or as a JSON string. */
  json(name: string, error: string): unknown {
    const value = this.raw[name];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw badRequest(error);
    }
  }

  /** An uploaded file: sent under this name, or under the name an `attach://name` value points to. */
  file(name: string): File | undefined {
    const value = this.raw[name];
    if (value instanceof File) return value;
    const attached =
      typeof value === 'string' && value.startsWith('attach://') ? this.raw[value.slice(9)] : undefined;
    return attached instanceof File ? attached : undefined;
  }

  /** The parameters for the call log: uploaded files described, not copied. */
  loggable(): RawParams {
    return Object.fromEntries(
      Object.entries(this.raw).map(([name, value]) => [
        name,
        value instanceof File ? { file: value.name, size: value.size, type: value.type } : value,
      ]),
    );
  }
}
