import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type Closer, type RunningServer } from '../src/lifecycle/serve.ts';
import { testLogger } from '@shop/testkit';

interface Reply {
  status: number;
  body: string;
}

/** A plain HTTP/1.1 GET on a keep-alive agent-less socket, so nothing pools connections behind our back. */
function get(port: number, path: string, keepAlive = false): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        agent: false,
        headers: { Connection: keepAlive ? 'keep-alive' : 'close' },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

const running: RunningServer[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.shutdown('test cleanup')));
});

async function start(options: {
  fetch: (request: Request) => Response | Promise<Response>;
  closers?: Closer[];
  shutdownTimeoutMs?: number;
}) {
  const server = await startServer({
    fetch: options.fetch,
    port: 0,
    hostname: '127.0.0.1',
    logger: testLogger(),
    closers: options.closers ?? [],
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? 5_000,
  });
  running.push(server);
  return server;
}

describe('startServer', () => {
  it('listens on the port it reports', async () => {
    const server = await start({ fetch: () => new Response('hello') });

    const reply = await get(server.port, '/');

    expect(server.port).toBeGreaterThan(0);
    expect(reply).toEqual({ status: 200, body: 'hello' });
  });

  it('rejects when the port is already taken', async () => {
    const first = await start({ fetch: () => new Response('first') });

    const second = startServer({
      fetch: () => new Response('second'),
      port: first.port,
      hostname: '127.0.0.1',
      logger: testLogger(),
      closers: [],
      shutdownTimeoutMs: 1_000,
    });

    await expect(second).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});

describe('RunningServer.shutdown', () => {
  it('lets a request that started before shutdown finish with 200', async () => {
    const handlerStarted = deferred();
    const server = await start({
      fetch: async () => {
        handlerStarted.resolve();
        await sleep(300);
        return new Response('slow but done');
      },
    });
    const inFlight = get(server.port, '/slow');
    await handlerStarted.promise;

    const stopped = server.shutdown('test');
    const reply = await inFlight;
    await stopped;

    expect(reply).toEqual({ status: 200, body: 'slow but done' });
  });

  it('refuses new connections once shut down', async () => {
    const server = await start({ fetch: () => new Response('ok') });
    const { port } = server;
    await get(port, '/');

    await server.shutdown('test');

    expect(await connectionRefused(port)).toBe(true);
    await expect(get(port, '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('runs the closers in order after the in-flight requests finished', async () => {
    const events: string[] = [];
    const handlerStarted = deferred();
    const closer = (name: string): Closer => ({
      name,
      close: async () => {
        events.push(`${name} start`);
        await sleep(20);
        events.push(`${name} end`);
      },
    });
    const server = await start({
      fetch: async () => {
        handlerStarted.resolve();
        await sleep(100);
        events.push('response');
        return new Response('ok');
      },
      closers: [closer('consumer'), closer('redis'), closer('postgres')],
    });
    const inFlight = get(server.port, '/');
    await handlerStarted.promise;

    await server.shutdown('test');
    await inFlight;

    expect(events).toEqual([
      'response',
      'consumer start',
      'consumer end',
      'redis start',
      'redis end',
      'postgres start',
      'postgres end',
    ]);
  });

  it('keeps closing the rest when one closer fails', async () => {
    const closed: string[] = [];
    const server = await start({
      fetch: () => new Response('ok'),
      closers: [
        { name: 'broken', close: () => Promise.reject(new Error('already closed')) },
        { name: 'pool', close: () => Promise.resolve(closed.push('pool')) },
      ],
    });

    await expect(server.shutdown('test')).resolves.toBeUndefined();

    expect(closed).toEqual(['pool']);
  });

  it('closes only once when shutdown is called twice', async () => {
    let closes = 0;
    const server = await start({
      fetch: () => new Response('ok'),
      closers: [{ name: 'pool', close: () => Promise.resolve(closes++) }],
    });

    await Promise.all([server.shutdown('SIGTERM'), server.shutdown('SIGINT')]);
    await server.shutdown('again');

    expect(closes).toBe(1);
  });

  it('does not wait for the timeout because of an idle keep-alive connection', async () => {
    const server = await start({ fetch: () => new Response('ok'), shutdownTimeoutMs: 10_000 });
    const socket = connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const answered = new Promise<void>((resolve) => socket.once('data', () => resolve()));
    socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
    await answered;
    const started = performance.now();

    await server.shutdown('test');

    socket.destroy();
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('does not wait for the timeout because of a keep-alive connection that was busy at shutdown', async () => {
    const handlerStarted = deferred();
    const server = await start({
      fetch: async () => {
        handlerStarted.resolve();
        await sleep(100);
        return new Response('ok');
      },
      shutdownTimeoutMs: 8_000,
    });
    const socket = connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    let raw = '';
    socket.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
    await handlerStarted.promise;
    const started = performance.now();

    const clientClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await server.shutdown('test');
    // The server closed the socket after answering; the answer reaches the client first.
    await clientClosed;

    socket.destroy();
    expect(raw).toMatch(/^HTTP\/1\.1 200/);
    // Far below both the 8 s timeout and Node's 5 s keep-alive timeout, with room for a loaded CI machine.
    expect(performance.now() - started).toBeLessThan(2_500);
  });

  it('cuts a request that outlives the shutdown timeout and still runs the closers', async () => {
    const handlerStarted = deferred();
    const closed: string[] = [];
    const server = await start({
      fetch: async () => {
        handlerStarted.resolve();
        await sleep(10_000, undefined, { ref: false });
        return new Response('too late');
      },
      closers: [{ name: 'pool', close: () => Promise.resolve(closed.push('pool')) }],
      shutdownTimeoutMs: 200,
    });
    const inFlight = get(server.port, '/').catch((error: unknown) => error);
    await handlerStarted.promise;
    const started = performance.now();

    await server.shutdown('test');

    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await inFlight).toBeInstanceOf(Error);
    expect(closed).toEqual(['pool']);
  });
});
