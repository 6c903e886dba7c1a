import fc from 'fast-check';
import { anyText, asHeader, headerText, parameterText, valuesFor, wildJson } from '../support/arbitraries.ts';
import type { Sent } from '../support/http-contract.ts';
import { fillPath, type Route } from '../support/routes.ts';

/** Bearer tokens a fuzzed request may carry. */
export interface Credentials {
  user: string;
  admin: string;
  /** Forged and broken tokens (the JWT attack list). */
  attacks: string[];
  serviceToken: string;
}

// Lone surrogates cannot be percent-encoded; the UTF-8 round trip turns them into U+FFFD.
const wellFormed = (text: string) => Buffer.from(text, 'utf8').toString('utf8');

const rawBodies = fc.constantFrom(
  '',
  '{',
  'null',
  '"just a string"',
  '{"__proto__":{"role":"admin"},"constructor":{"prototype":{"admin":true}}}',
  '{"a":1,"a":2}',
  `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
  `{"x":"${'x'.repeat(70 * 1024)}"}`,
  '\u0000',
  '\uFEFF{}',
);

const contentTypes = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 12 },
  fc.constantFrom(
    'application/json; charset=utf-8',
    'application/JSON',
    'application/merge-patch+json',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    '*/*',
  ),
);

function authorization(credentials: Credentials) {
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 2 },
    { arbitrary: fc.constant(`Bearer ${credentials.user}`), weight: 12 },
    { arbitrary: fc.constant(`Bearer ${credentials.admin}`), weight: 8 },
    { arbitrary: fc.constantFrom(...credentials.attacks).map((token) => `Bearer ${token}`), weight: 2 },
    { arbitrary: headerText().map((text) => `Bearer ${text}`), weight: 1 },
    { arbitrary: headerText(), weight: 1 },
  );
}

function bodyFor(route: Route): fc.Arbitrary<string | Uint8Array<ArrayBuffer> | undefined> {
  const schema = route.body;
  const valid = schema
    ? valuesFor(schema, route.resolve).map((value) => JSON.stringify(value))
    : wildJson.map((v) => JSON.stringify(v));
  return fc.oneof(
    { arbitrary: valid, weight: schema ? 8 : 1 },
    { arbitrary: fc.constant(undefined), weight: 2 },
    { arbitrary: wildJson.map((value) => JSON.stringify(value)), weight: 1 },
    { arbitrary: anyText(0, 80), weight: 1 },
    { arbitrary: rawBodies, weight: 1 },
    { arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => new Uint8Array(bytes)), weight: 1 },
  );
}

function queryFor(route: Route): fc.Arbitrary<string> {
  const documented = route.parameters.filter((p) => p.in === 'query');
  const values = documented.map((p) =>
    fc.option(
      parameterText(p.schema, route.resolve, p.name).map((value) => [p.name, value] as const),
      {
        nil: undefined,
        freq: p.required ? 8 : 2,
      },
    ),
  );
  const extra = fc.array(fc.tuple(anyText(0, 8), anyText(0, 20)), { maxLength: 2 });
  const raw = fc.constantFrom('', '', '', '%', '%zz', '&&=&', 'page=1&page=2', 'ids[]=1', '=x');
  return fc.tuple(fc.tuple(...values), extra, raw).map(([known, more, suffix]) => {
    const pairs = [...known.filter((pair) => pair !== undefined), ...more].map(([k, v]): [string, string] => [
      wellFormed(k),
      wellFormed(v),
    ]);
    const query = [new URLSearchParams(pairs).toString(), suffix].filter(Boolean).join('&');
    return query ? `?${query}` : '';
  });
}

/**
 * Random and adversarial requests for one route: its documented parameters and body mostly
 * well-formed (so they reach the code behind validation), plus odd methods, query strings,
 * headers, bodies and tokens.
 */
export function requestsFor(route: Route, credentials: Credentials): fc.Arbitrary<Sent> {
  const pathValues = fc.record(
    Object.fromEntries(
      route.parameters
        .filter((p) => p.in === 'path')
        .map((p) => [
          p.name,
          fc.oneof(parameterText(p.schema, route.resolve, p.name), fc.constantFrom('1', '2', '3')),
        ]),
    ),
  );
  const documentedHeaders = fc.tuple(
    ...route.parameters
      .filter((p) => p.in === 'header')
      .map((p) =>
        fc.option(
          parameterText(p.schema, route.resolve, p.name).map((value) => [p.name, asHeader(value)] as const),
          {
            nil: undefined,
          },
        ),
      ),
  );
  const method = fc.oneof(
    { arbitrary: fc.constant(route.method), weight: 12 },
    fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
  );
  return fc
    .record({
      method,
      path: pathValues,
      query: queryFor(route),
      authorization: authorization(credentials),
      contentType: fc.option(contentTypes, { freq: 10, nil: undefined }),
      documentedHeaders,
      acceptLanguage: fc.option(
        fc.oneof(fc.constantFrom('ru', 'en-US,en;q=0.5', '*', 'ru;q=abc'), headerText()),
        { nil: undefined },
      ),
      ifNoneMatch: fc.option(fc.oneof(fc.constantFrom('*', '"x"', 'W/"x"'), headerText()), {
        nil: undefined,
      }),
      requestId: fc.option(headerText(80), { nil: undefined }),
      serviceToken: fc.option(fc.oneof(fc.constant(credentials.serviceToken), headerText()), {
        nil: undefined,
      }),
      body: bodyFor(route),
    })
    .map((r): Sent => {
      const headers: Record<string, string> = {};
      const set = (name: string, value: string | undefined) => {
        if (value !== undefined) headers[name] = value;
      };
      set('Authorization', r.authorization);
      set('Content-Type', r.contentType);
      for (const pair of r.documentedHeaders) if (pair) set(pair[0], pair[1]);
      set('Accept-Language', r.acceptLanguage);
      set('If-None-Match', r.ifNoneMatch);
      set('X-Request-Id', r.requestId);
      set('X-Service-Token', r.serviceToken);
      const carriesBody = r.method !== 'GET' && r.method !== 'HEAD' && r.body !== undefined;
      return {
        method: r.method,
        url: `${fillPath(route.path, mapValues(r.path, wellFormed))}${r.query}`,
        headers,
        ...(carriesBody ? { body: r.body } : {}),
      };
    });
}

const mapValues = (record: Record<string, string>, fn: (value: string) => string) =>
  Object.fromEntries(Object.entries(record).map(([key, value]) => [key, fn(value)]));

/** Paths no service has: each must answer the contract's 404 (or 405) JSON. */
export const strayRequests: fc.Arbitrary<Sent> = fc
  .record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
    segments: fc.array(anyText(1, 12), { minLength: 1, maxLength: 4 }),
  })
  .map(({ method, segments }) => ({
    method,
    url: `/${segments.map((segment) => encodeURIComponent(wellFormed(segment))).join('/')}`,
    headers: {},
  }));
