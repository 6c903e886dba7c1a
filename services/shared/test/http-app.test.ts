import { createRoute, z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { AppError, conflict, ServiceUnavailableError, type ErrorBody } from '../src/errors/index.ts';
import { createServiceApp } from '../src/http/app.ts';
import type { ReadinessCheck } from '../src/http/health.ts';
import {
  emptyBodyIsNone,
  errorResponses,
  jsonBody,
  jsonResponse,
  optionalJsonBody,
} from '../src/http/openapi.ts';
import { recordingLogger, testLogger } from '@shop/testkit';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const itemSchema = z.object({ id: z.string(), name: z.string(), quantity: z.number().int() });

const createItem = createRoute({
  method: 'post',
  path: '/items',
  request: {
    body: jsonBody(z.strictObject({ name: z.string().min(1), quantity: z.number().int().positive() })),
  },
  responses: { 201: jsonResponse(itemSchema, 'The created item'), ...errorResponses(400, 413) },
});

const getItem = createRoute({
  method: 'get',
  path: '/items/{id}',
  security: [{ bearer: [] }],
  request: { params: z.object({ id: z.string() }) },
  responses: { 200: jsonResponse(itemSchema, 'The item'), ...errorResponses(404, 409) },
});

function buildApp(readiness: readonly ReadinessCheck[] = []) {
  const app = createServiceApp({ service: 'test', logger: testLogger(), readiness });
  app.openapi(createItem, (c) => {
    const body = c.req.valid('json');
    return c.json({ id: 'new', ...body }, 201);
  });
  app.openapi(getItem, (c) => {
    const { id } = c.req.valid('param');
    if (id === 'taken') throw conflict('item_taken', 'This item is already taken');
    if (id === 'teapot') throw new AppError(409, 'custom_conflict', 'A custom conflict', { why: 'because' });
    if (id === 'boom') throw new Error('database password is hunter2');
    return c.json({ id, name: 'widget', quantity: 1 }, 200);
  });
  return app;
}

const postJson = (body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
  ({ method: 'POST', body, headers }) satisfies RequestInit;

async function errorOf(response: Response): Promise<ErrorBody['error']> {
  expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
  const body = (await response.json()) as ErrorBody;
  expect(Object.keys(body)).toEqual(['error']);
  expect(typeof body.error.code).toBe('string');
  expect(typeof body.error.message).toBe('string');
  return body.error;
}

const check = (name: string, run: () => Promise<unknown>, critical?: boolean): ReadinessCheck =>
  critical === undefined ? { name, check: run } : { name, check: run, critical };

describe('createServiceApp: request validation', () => {
  it('runs the handler with the parsed body when the body is valid', async () => {
    const app = buildApp();

    const response = await app.request('/items', postJson(JSON.stringify({ name: 'widget', quantity: 2 })));

    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ id: 'new', name: 'widget', quantity: 2 });
  });

  it('answers 400 validation_failed with details naming the field when a field is invalid', async () => {
    const app = buildApp();

    const response = await app.request('/items', postJson(JSON.stringify({ name: 'widget', quantity: -1 })));

    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('validation_failed');
    expect(error.message).toContain('json.quantity');
    expect(error.details).toEqual([{ path: 'json.quantity', message: expect.any(String) as string }]);
  });

  it('lists every invalid field in details', async () => {
    const app = buildApp();

    const response = await app.request('/items', postJson(JSON.stringify({ name: '', quantity: 'many' })));

    expect(response.status).toBe(400);
    const error = await errorOf(response);
    const paths = (error.details as { path: string }[]).map((detail) => detail.path);
    expect(paths).toEqual(expect.arrayContaining(['json.name', 'json.quantity']));
  });

  it('answers 400 validation_failed when the body has an unknown field', async () => {
    const app = buildApp();

    const response = await app.request(
      '/items',
      postJson(JSON.stringify({ name: 'w', quantity: 1, role: 'admin' })),
    );

    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('validation_failed');
    expect(JSON.stringify(error.details)).toContain('role');
  });

  it('answers 400 in the contract shape when the body is not JSON', async () => {
    const app = buildApp();

    const response = await app.request('/items', postJson('{"name": "widget",'));

    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('bad_request');
    expect(error.message).toMatch(/json/i);
  });

  it('answers 400 validation_failed when there is no body and no content type', async () => {
    const app = buildApp();

    const response = await app.request('/items', { method: 'POST' });

    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('validation_failed');
  });

  it('answers 400 validation_failed when the JSON body is empty', async () => {
    const app = buildApp();

    const response = await app.request('/items', postJson('{}'));

    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('validation_failed');
  });

  it('refuses a body with a non-JSON content type in the contract shape', async () => {
    const app = buildApp();

    const response = await app.request('/items', postJson('name=widget', { 'Content-Type': 'text/plain' }));

    expect(response.status).toBe(415);
    expect((await errorOf(response)).code).toBe('unsupported_media_type');
  });

  it('answers 413 payload_too_large when the body is over the default 64 KiB limit', async () => {
    const app = buildApp();
    const huge = JSON.stringify({ name: 'x'.repeat(1024 * 1024), quantity: 1 });

    const response = await app.request('/items', postJson(huge));

    expect(response.status).toBe(413);
    const error = await errorOf(response);
    expect(error.code).toBe('payload_too_large');
    expect(error.message).toContain(String(64 * 1024));
  });

  it('answers 413 when a streamed body without Content-Length goes over the limit', async () => {
    const app = buildApp();
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });

    const response = await app.request('/items', {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json' },
      duplex: 'half',
    });

    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe('payload_too_large');
  });

  it('honours a custom body limit', async () => {
    const app = createServiceApp({
      service: 'test',
      logger: testLogger(),
      readiness: [],
      bodyLimitBytes: 16,
    });
    app.post('/echo', async (c) => c.json(await c.req.json()));

    const small = await app.request('/echo', postJson('{"a":1}'));
    const large = await app.request('/echo', postJson(JSON.stringify({ a: 'x'.repeat(100) })));

    expect(small.status).toBe(200);
    expect(large.status).toBe(413);
  });
});

describe('an optional JSON body', () => {
  const noteRoute = createRoute({
    method: 'post',
    path: '/notes',
    request: { body: optionalJsonBody(z.strictObject({ note: z.string().min(1).optional() })) },
    responses: {
      200: jsonResponse(z.object({ note: z.string().nullable() }), 'The note'),
      ...errorResponses(400, 415),
    },
  });
  const app = createServiceApp({ service: 'test', logger: testLogger(), readiness: [] });
  app.openapi({ ...noteRoute, middleware: [emptyBodyIsNone] }, (c) =>
    c.json({ note: c.req.valid('json').note ?? null }, 200),
  );
  const send = (init: RequestInit) => app.request('/notes', { method: 'POST', ...init });

  it('is read as {} when absent or empty, whatever the Content-Type says', async () => {
    for (const init of [
      {},
      { headers: { 'Content-Type': 'application/json' } },
      { headers: { 'Content-Type': 'application/json' }, body: '' },
      { headers: { 'Content-Type': 'text/plain' }, body: '' },
    ]) {
      const res = await send(init);
      expect(res.status, JSON.stringify(init)).toBe(200);
      expect(await res.json()).toEqual({ note: null });
    }
  });

  it('is validated when sent as JSON, and refused in another type', async () => {
    expect(await (await send(postJson('{"note":"hi"}'))).json()).toEqual({ note: 'hi' });
    expect((await send(postJson('{"note":""}'))).status).toBe(400);
    expect((await send(postJson('{"note"'))).status).toBe(400);
    expect((await send(postJson('hi', { 'Content-Type': 'text/plain' }))).status).toBe(415);
  });
});

describe('createServiceApp: errors', () => {
  it('answers 404 in the contract shape for an unknown route', async () => {
    const app = buildApp();

    const response = await app.request('/nowhere');

    expect(response.status).toBe(404);
    const error = await errorOf(response);
    expect(error.code).toBe('not_found');
    expect(error.message).toContain('/nowhere');
  });

  it('answers a bare 500 internal_error without the message or stack of an unexpected error', async () => {
    const app = buildApp();

    const response = await app.request('/items/boom');

    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal_error', message: 'Internal server error' } });
    expect(text).not.toContain('hunter2');
    expect(text).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('answers an AppError with its status and code', async () => {
    const app = buildApp();

    const response = await app.request('/items/taken');

    expect(response.status).toBe(409);
    const error = await errorOf(response);
    expect(error).toEqual({ code: 'item_taken', message: 'This item is already taken' });
  });

  it('includes the details of an AppError that has them', async () => {
    const app = buildApp();

    const response = await app.request('/items/teapot');

    expect(response.status).toBe(409);
    expect(await errorOf(response)).toEqual({
      code: 'custom_conflict',
      message: 'A custom conflict',
      details: { why: 'because' },
    });
  });

  it('sends the headers an AppError carries', async () => {
    const app = buildApp();
    app.get('/throttled', () => {
      throw new AppError(429, 'too_many_requests', 'Slow down', undefined, { 'Retry-After': '7' });
    });

    const response = await app.request('/throttled');

    expect(response.status).toBe(429);
    expect(response.headers.get('Retry-After')).toBe('7');
  });
});

describe('createServiceApp: request id and headers', () => {
  it('echoes a valid X-Request-Id', async () => {
    const app = buildApp();

    const response = await app.request('/health', { headers: { 'X-Request-Id': 'abc-123_XYZ' } });

    expect(response.headers.get('X-Request-Id')).toBe('abc-123_XYZ');
  });

  it('echoes a request id with dots and colons', async () => {
    const app = buildApp();

    const response = await app.request('/health', { headers: { 'X-Request-Id': 'gw:1.2' } });

    expect(response.headers.get('X-Request-Id')).toBe('gw:1.2');
  });

  it('generates a uuid when X-Request-Id is absent', async () => {
    const app = buildApp();

    const response = await app.request('/health');

    expect(response.headers.get('X-Request-Id')).toMatch(UUID);
  });

  it('replaces a garbage X-Request-Id with a generated uuid', async () => {
    const app = buildApp();

    const response = await app.request('/health', { headers: { 'X-Request-Id': 'evil id\twith <html>' } });

    expect(response.headers.get('X-Request-Id')).toMatch(UUID);
  });

  it('replaces a request id longer than 64 characters with a generated uuid', async () => {
    const app = buildApp();

    const response = await app.request('/health', { headers: { 'X-Request-Id': 'a'.repeat(200) } });

    expect(response.headers.get('X-Request-Id')).toMatch(UUID);
  });

  it.each([
    ['/items/boom', 500],
    ['/items/taken', 409],
    ['/nowhere', 404],
  ])('sets the request id and secure headers on the error answer of %s', async (path, status) => {
    const app = buildApp();

    const response = await app.request(path, { headers: { 'X-Request-Id': 'trace-me' } });

    expect(response.status).toBe(status);
    expect(response.headers.get('X-Request-Id')).toBe('trace-me');
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });

  it('sets the REST security headers and a deny-all content security policy on API answers', async () => {
    const app = buildApp();

    const response = await app.request('/health');

    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(response.headers.get('X-Frame-Options')).toBe('DENY');
    expect(response.headers.get('Strict-Transport-Security')).toContain('max-age=');
    expect(response.headers.get('Content-Security-Policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
  });

  it('lets the docs page load its own scripts but no inline script', async () => {
    const app = buildApp();

    const csp = (await app.request('/docs')).headers.get('Content-Security-Policy') ?? '';

    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });
});

describe('createServiceApp: health and readiness', () => {
  it('answers /health with 200', async () => {
    const app = buildApp([check('db', () => Promise.reject(new Error('down')))]);

    const response = await app.request('/health');

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers /ready with 200 when every check passes', async () => {
    const app = buildApp([
      check('db', () => Promise.resolve()),
      check('redis', () => Promise.resolve('PONG')),
    ]);

    const response = await app.request('/ready');

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', checks: { db: 'ok', redis: 'ok' } });
  });

  it('answers /ready with 503 naming the failing critical check', async () => {
    const app = buildApp([
      check('postgres', () => Promise.resolve()),
      check('rabbitmq', () => Promise.reject(new Error('connection refused'))),
    ]);

    const response = await app.request('/ready');

    expect(response.status).toBe(503);
    const error = await errorOf(response);
    expect(error.code).toBe('not_ready');
    expect(error.message).toContain('rabbitmq');
    expect(error.message).not.toContain('postgres');
    expect(error.details).toEqual({ postgres: 'ok', rabbitmq: 'connection refused' });
  });

  it('answers /ready with 503 when a check throws synchronously', async () => {
    const app = buildApp([
      check('redis', () => {
        throw new Error('not connected');
      }),
    ]);

    const response = await app.request('/ready');

    expect(response.status).toBe(503);
    expect((await errorOf(response)).message).toContain('redis');
  });

  it('answers /ready with 200 degraded when only a non-critical check fails', async () => {
    const app = buildApp([
      check('postgres', () => Promise.resolve()),
      check('cache', () => Promise.reject(new Error('timeout')), false),
    ]);

    const response = await app.request('/ready');

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'degraded',
      checks: { postgres: 'ok', cache: 'timeout' },
    });
  });

  it('answers /ready with 503 after the timeout when a check hangs', async () => {
    const app = buildApp([check('broker', () => new Promise<never>(() => undefined))]);
    const started = performance.now();

    const response = await app.request('/ready');

    const elapsed = performance.now() - started;
    expect(response.status).toBe(503);
    const error = await errorOf(response);
    expect(error.message).toContain('broker');
    expect(error.details).toEqual({ broker: expect.stringContaining('no answer') as string });
    expect(elapsed).toBeGreaterThanOrEqual(1_900);
    expect(elapsed).toBeLessThan(5_000);
  });
});

describe('createServiceApp: metrics', () => {
  it('counts requests by route pattern rather than the concrete path', async () => {
    const app = buildApp();
    await app.request('/items/first-id');
    await app.request('/items/second-id');

    const response = await app.request('/metrics');

    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/plain/);
    const text = await response.text();
    const line = text
      .split('\n')
      .find((l) => l.startsWith('http_requests_total{') && l.includes('route="/items/:id"'));
    expect(line).toBeDefined();
    expect(line).toContain('method="GET"');
    expect(line).toContain('status="200"');
    expect(line).toContain('service="test"');
    expect(line).toMatch(/ 2$/);
    expect(text).not.toContain('first-id');
    expect(text).toContain('http_request_duration_seconds_bucket');
  });

  it('does not put unknown paths into route labels', async () => {
    const app = buildApp();
    await app.request('/random-scan-path-123');

    const text = await (await app.request('/metrics')).text();

    expect(text).toMatch(/http_requests_total\{[^}]*status="404"/);
    expect(text).not.toContain('random-scan-path-123');
  });
});

describe('createServiceApp: API docs', () => {
  it('lists the routes and the bearer security scheme in /openapi.json', async () => {
    const app = buildApp();

    const response = await app.request('/openapi.json');

    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      openapi: string;
      info: { title: string };
      paths: Record<string, Record<string, { security?: unknown }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toContain('test');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/items', '/items/{id}']));
    expect(doc.paths['/items']?.post).toBeDefined();
    expect(doc.paths['/items/{id}']?.get?.security).toEqual([{ bearer: [] }]);
    expect(doc.components.securitySchemes.bearer).toEqual({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
  });

  it('serves /docs as HTML that loads its assets from /docs/assets', async () => {
    const app = buildApp();

    const response = await app.request('/docs');

    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
    const html = await response.text();
    for (const asset of [
      'swagger-ui-bundle.js',
      'swagger-ui.css',
      'swagger-ui-standalone-preset.js',
      'init.js',
    ]) {
      expect(html).toContain(`/docs/assets/${asset}`);
    }
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script>[^<]/);
  });

  it.each([
    ['swagger-ui-bundle.js', /^text\/javascript/, 'SwaggerUIBundle'],
    ['swagger-ui-standalone-preset.js', /^text\/javascript/, 'SwaggerUIStandalonePreset'],
    ['swagger-ui.css', /^text\/css/, '.swagger-ui'],
    ['init.js', /^text\/javascript/, '/openapi.json'],
  ])('serves /docs/assets/%s with its content type', async (asset, type, marker) => {
    const app = buildApp();

    const response = await app.request(`/docs/assets/${asset}`);

    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(type);
    expect(await response.text()).toContain(marker);
  });

  it('answers 404 for an unknown asset', async () => {
    const app = buildApp();

    const response = await app.request('/docs/assets/unknown.js');

    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe('not_found');
  });

  it('answers 404 for a path that tries to leave the assets folder', async () => {
    const app = buildApp();

    const response = await app.request('/docs/assets/..%2Fpackage.json');

    expect(response.status).toBe(404);
  });
});

describe('logging of 503 answers', () => {
  const answer = async (error: AppError) => {
    const { logger, lines } = recordingLogger();
    const app = createServiceApp({ service: 'test', logger, readiness: [] });
    app.get('/fail', () => {
      throw error;
    });
    expect((await app.request('/fail')).status).toBe(503);
    return lines.filter((line) => line.msg !== 'request');
  };

  it('warns with the cause when a dependency failed', async () => {
    const [line] = await answer(new ServiceUnavailableError('catalog', new Error('connect ECONNREFUSED')));
    expect(line).toMatchObject({ level: 40, err: { message: 'connect ECONNREFUSED' } });
  });

  it('writes one info line without a stack for a refusal that sheds load', async () => {
    const lines = await answer(new AppError(503, 'service_unavailable', 'Too busy; try again shortly'));
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, code: 'service_unavailable', msg: 'Too busy; try again shortly' }),
    ]);
    expect(lines[0]).not.toHaveProperty('err');
  });
});
