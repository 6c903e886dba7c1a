import type { ServiceApp, ServiceName } from './whole-shop.ts';

/** A JSON Schema as `/openapi.json` holds it (OpenAPI 3.1), loosely typed: only what the fuzzers read. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  example?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

/** One route a service answers, with what its OpenAPI document says about it (if anything). */
export interface Route {
  service: ServiceName;
  method: string;
  /** Hono's pattern, e.g. `/orders/:id`. */
  path: string;
  documented: boolean;
  secured: boolean;
  tags: string[];
  parameters: Parameter[];
  /** The JSON body's schema, `$ref`s resolved by `resolve`. */
  body?: JsonSchema;
  statuses: number[];
  /** Resolves a `$ref` against this service's document. */
  resolve: (schema: JsonSchema) => JsonSchema;
}

interface Operation {
  tags?: string[];
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, unknown>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const pathParams = (path: string) => [...path.matchAll(/:(\w+)/g)].map((match) => match[1]!);

/**
 * Every route of a service: Hono's own route table (so an undocumented route is not missed)
 * joined with the service's `/openapi.json` for parameters, body schemas and security. A route
 * added tomorrow is fuzzed tomorrow without touching the suites.
 */
export async function routesOf(service: ServiceName, app: ServiceApp): Promise<Route[]> {
  const doc = (await (await app.request('/openapi.json')).json()) as OpenApiDocument;
  const resolve = (schema: JsonSchema): JsonSchema => {
    if (!schema.$ref) return schema;
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`${service}: unresolvable ${schema.$ref}`);
    return resolve(target);
  };
  const operations = new Map<string, Operation>();
  for (const [template, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      operations.set(`${method.toUpperCase()} ${template.replace(/\{(\w+)\}/g, ':$1')}`, operation);
    }
  }
  const seen = new Set<string>();
  const routes: Route[] = [];
  // Middleware shows up in the table as method ALL; only real endpoints are routes.
  for (const { method, path } of app.routes.filter((route) => route.method !== 'ALL')) {
    const key = `${method} ${path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const operation = operations.get(key);
    const documented = (operation?.parameters ?? []).map((p): Parameter => ({
      name: p.name,
      in: p.in as Parameter['in'],
      required: p.required ?? p.in === 'path',
      schema: p.schema ?? {},
    }));
    const undocumentedPathParams = pathParams(path)
      .filter((name) => !documented.some((p) => p.in === 'path' && p.name === name))
      .map((name): Parameter => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    const body = operation?.requestBody?.content?.['application/json']?.schema;
    routes.push({
      service,
      method,
      path,
      documented: operation !== undefined,
      secured: (operation?.security?.length ?? 0) > 0,
      tags: operation?.tags ?? [],
      parameters: [...documented, ...undocumentedPathParams],
      ...(body ? { body } : {}),
      statuses: Object.keys(operation?.responses ?? {}).map(Number),
      resolve,
    });
  }
  return routes;
}

/** `path` with its `:params` filled in (values are URL-encoded here). */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/:(\w+)/g, (_match, name: string) => encodeURIComponent(values[name] ?? '1'));
}

export const describeRoute = (route: Route) => `${route.service} ${route.method} ${route.path}`;
