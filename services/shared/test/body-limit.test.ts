import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import type { Context } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../src/errors/index.ts';
import { createServiceApp } from '../src/http/app.ts';
import { startServer, type RunningServer } from '../src/lifecycle/serve.ts';
import { testLogger } from '@shop/testkit';

const LIMIT = 1024;
/** The one route that takes more. */
const LARGE_LIMIT = 4 * LIMIT;

/** What the route was called with: nothing is recorded for a request the limit stopped. */
let calls: number;
let received: unknown[];
let server: RunningServer;

beforeAll(async () => {
  const app = createServiceApp({
    service: 'test',
    logger: testLogger(),
    readiness: [],
    bodyLimitBytes: LIMIT,
    largeBodies: [{ method: 'POST', path: /^\/upload$/, maxBytes: LARGE_LIMIT }],
  });
  const echo = async (c: Context) => {
    calls += 1;
    const body: unknown = await c.req.json();
    received.push(body);
    return c.json({ received: body });
  };
  app.post('/echo', echo);
  app.post('/upload', echo);
  server = await startServer({
    fetch: app.fetch,
    port: 0,
    hostname: '127.0.0.1',
    logger: testLogger(),
    closers: [],
    shutdownTimeoutMs: 1_000,
  });
});
afterAll(() => server.shutdown('test over'));
beforeEach(() => {
  calls = 0;
  received = [];
});

/** A JSON body of exactly `bytes` bytes. */
function jsonOfSize(bytes: number) {
  const body = { text: 'x'.repeat(bytes - '{"text":""}'.length) };
  expect(Buffer.byteLength(JSON.stringify(body))).toBe(bytes);
  return body;
}

interface Reply {
  status: number;
  body: string;
  /** Whether any of the body had been written when the answer came. */
  bodySent: boolean;
}

/**
 * POSTs /echo over node:http on a connection of its own. `chunks` are written one by one; without
 * a Content-Length header node sends them chunked. With `waitForAnswer` only the headers go out
 * and the body follows a second later, unless an answer came first.
 */
function post(
  headers: OutgoingHttpHeaders,
  chunks: string[],
  { waitForAnswer = false, path = '/echo' } = {},
) {
  return new Promise<Reply>((resolve, reject) => {
    let answered = false;
    let bodySent = false;
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path,
        agent: false,
        headers: { 'Content-Type': 'application/json', Connection: 'close', ...headers },
      },
      (res) => {
        answered = true;
        const sentBefore = bodySent;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body, bodySent: sentBefore });
          req.destroy();
        });
      },
    );
    // The server may close the socket while a refused body is still being written.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const sendBody = () => {
      if (answered) return;
      bodySent = true;
      for (const chunk of chunks) req.write(chunk);
      req.end();
    };
    if (!waitForAnswer) return sendBody();
    req.flushHeaders();
    setTimeout(sendBody, 1_000).unref();
  });
}

function contractError(reply: Reply): ErrorBody['error'] {
  const body = JSON.parse(reply.body) as ErrorBody;
  expect(Object.keys(body)).toEqual(['error']);
  return body.error;
}

/** `text` cut into `count` pieces, written one by one. */
function pieces(text: string, count: number) {
  const size = Math.ceil(text.length / count);
  return Array.from({ length: count }, (_, i) => text.slice(i * size, (i + 1) * size));
}

describe('body limit over a real HTTP server', () => {
  it('answers 413 payload_too_large from a Content-Length over the limit, before the body is sent, without running the route', async () => {
    const text = JSON.stringify(jsonOfSize(LIMIT + 1));

    const reply = await post({ 'Content-Length': Buffer.byteLength(text) }, [text], { waitForAnswer: true });

    expect(reply.status).toBe(413);
    expect(contractError(reply)).toEqual({
      code: 'payload_too_large',
      message: `Request body is larger than ${LIMIT} bytes`,
    });
    // The header alone decided: the body was held back until an answer that never waited for it.
    expect(reply.bodySent).toBe(false);
    expect(calls).toBe(0);
  });

  it('answers 413 payload_too_large when a chunked body goes over the limit, without running the route', async () => {
    const text = JSON.stringify(jsonOfSize(LIMIT + 1));

    const reply = await post({ 'Transfer-Encoding': 'chunked' }, pieces(text, 4));

    expect(reply.status).toBe(413);
    expect(contractError(reply).code).toBe('payload_too_large');
    expect(calls).toBe(0);
  });

  it('hands the route the whole JSON body of a chunked request up to the limit', async () => {
    const body = jsonOfSize(LIMIT);

    const reply = await post({ 'Transfer-Encoding': 'chunked' }, pieces(JSON.stringify(body), 4));

    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ received: body });
    expect(received).toEqual([body]);
  });

  it('hands the route the body of a request whose Content-Length is up to the limit', async () => {
    const body = jsonOfSize(LIMIT);
    const text = JSON.stringify(body);

    const reply = await post({ 'Content-Length': Buffer.byteLength(text) }, [text]);

    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ received: body });
    expect(received).toEqual([body]);
  });

  it('gives a route listed in largeBodies its own limit, both ways, and no other route', async () => {
    const large = JSON.stringify(jsonOfSize(LARGE_LIMIT));
    const tooLarge = JSON.stringify(jsonOfSize(LARGE_LIMIT + 1));
    const length = (text: string) => ({ 'Content-Length': Buffer.byteLength(text) });
    const chunked = { 'Transfer-Encoding': 'chunked' };

    expect((await post(length(large), [large], { path: '/upload' })).status).toBe(200);
    expect((await post(chunked, pieces(large, 4), { path: '/upload' })).status).toBe(200);
    const refused = await post(length(tooLarge), [tooLarge], { path: '/upload', waitForAnswer: true });
    expect(refused.status).toBe(413);
    expect(refused.bodySent).toBe(false);
    expect((await post(chunked, pieces(tooLarge, 4), { path: '/upload' })).status).toBe(413);
    expect((await post(length(large), [large], { waitForAnswer: true })).status).toBe(413);
    expect(calls).toBe(2);
  });
});
