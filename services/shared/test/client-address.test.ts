import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddress } from '../src/http/client-address.ts';

// Echoes what clientAddress makes of a request, with ?hops= trusted proxies in front.
const app = new Hono().get('/', (c) =>
  c.text(clientAddress(c, Number(c.req.query('hops') ?? 0)) ?? '(none)'),
);
let server: ServerType;
let port: number;
beforeAll(async () => {
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** What the server saw as the client, for a request from local address `from`. */
const seen = (from: string, hops: number, forwardedFor?: string) =>
  new Promise<string>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: `/?hops=${hops}`,
        localAddress: from,
        headers: forwardedFor === undefined ? {} : { 'X-Forwarded-For': forwardedFor },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve(body));
      },
    );
    req.on('error', reject);
    req.end();
  });

describe('clientAddress', () => {
  it("is the socket's peer, whatever X-Forwarded-For says, when no proxy is trusted", async () => {
    expect(await seen('127.0.0.21', 0)).toBe('127.0.0.21');
    expect(await seen('127.0.0.21', 0, '203.0.113.7')).toBe('127.0.0.21');
  });

  it('is the entry the outermost trusted proxy added, ignoring what the client wrote before it', async () => {
    expect(await seen('127.0.0.22', 1, '6.6.6.6, 203.0.113.7')).toBe('203.0.113.7');
    expect(await seen('127.0.0.22', 2, '6.6.6.6, 203.0.113.7, 10.0.0.2')).toBe('203.0.113.7');
  });

  it('falls back to the socket when the proxy sent no usable address', async () => {
    expect(await seen('127.0.0.23', 1)).toBe('127.0.0.23');
    expect(await seen('127.0.0.23', 1, 'not-an-address')).toBe('127.0.0.23');
    expect(await seen('127.0.0.23', 3, '203.0.113.7')).toBe('127.0.0.23');
  });

  it('counts a whole IPv6 /64 as one client, and an IPv4-mapped address as IPv4', async () => {
    expect(await seen('127.0.0.24', 1, '2001:db8:a:b:1111:2222:3333:4444')).toBe('2001:db8:a:b::/64');
    expect(await seen('127.0.0.24', 1, '2001:db8:a:b::9')).toBe('2001:db8:a:b::/64');
    expect(await seen('127.0.0.24', 1, '2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(await seen('127.0.0.24', 1, '::ffff:198.51.100.4')).toBe('198.51.100.4');
  });

  it('is undefined for a request made in-process, which has no socket', async () => {
    expect(await (await app.request('/')).text()).toBe('(none)');
  });
});
