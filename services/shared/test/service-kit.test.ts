import type { JWTVerifyGetKey } from 'jose';
import { createTestTokenIssuer, recordingLogger, testLogger } from '@shop/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { baseConfigSchema, loadConfig } from '../src/config/index.ts';
import { createServiceApp } from '../src/http/app.ts';
import { createAuthenticator } from '../src/wiring/authenticator.ts';
import { createServiceKit } from '../src/wiring/kit.ts';
import { startPeriodicTask } from '../src/wiring/periodic.ts';

const config = loadConfig(baseConfigSchema, {});
const kitFor = (options = {}, logger = testLogger()) =>
  createServiceKit({ service: 'test', config, logger, options });

afterEach(() => {
  vi.useRealTimers();
});

describe('the service kit', () => {
  it('closes what was created last first, so nothing stops before what still uses it', async () => {
    const kit = kitFor();
    const closed: string[] = [];
    for (const name of ['postgres', 'redis', 'rabbitmq', 'outbox relay', 'consumer'])
      kit.addCloser(name, () => closed.push(name));

    for (const closer of kit.closers) await closer.close();

    expect(closed).toEqual(['consumer', 'outbox relay', 'rabbitmq', 'redis', 'postgres']);
  });

  it('names consumer queues after the service unless a queue prefix is given', () => {
    expect(kitFor().queue('orders')).toBe('test.orders');
    expect(kitFor({ queuePrefix: 't1.suite' }).queue('orders')).toBe('t1.suite.orders');
  });
});

describe('a periodic task', () => {
  it('runs every interval, and a failed run is logged without stopping the next', async () => {
    vi.useFakeTimers();
    const { logger, lines } = recordingLogger();
    const kit = kitFor({}, logger);
    let runs = 0;
    startPeriodicTask(kit, {
      name: 'key purge',
      intervalMs: 1_000,
      run: async () => {
        runs += 1;
        if (runs === 1) throw new Error('database away');
      },
    });

    await vi.advanceTimersByTimeAsync(2_000);

    expect(runs).toBe(2);
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'key purge failed', task: 'key purge' }));
  });

  it('stops on shutdown only after the run in flight has finished', async () => {
    vi.useFakeTimers();
    const kit = kitFor();
    let finish = () => {};
    let runs = 0;
    startPeriodicTask(kit, {
      name: 'sweep',
      intervalMs: 1_000,
      run: () => {
        runs += 1;
        return new Promise<void>((resolve) => (finish = resolve));
      },
    });
    await vi.advanceTimersByTimeAsync(1_000);

    let stopped = false;
    const stopping = kit.closers[0]?.close().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(stopped).toBe(false);
    finish();
    await stopping;

    expect(stopped).toBe(true);
    expect(runs).toBe(1);
  });
});

describe('createAuthenticator', () => {
  async function appWithCountedKeys() {
    const issuer = await createTestTokenIssuer();
    let lookups = 0;
    const keys: JWTVerifyGetKey = (header, token) => {
      lookups += 1;
      return issuer.getKey(header, token);
    };
    const app = createServiceApp({ service: 'test', logger: testLogger(), readiness: [] });
    app.use('/me', createAuthenticator(config, keys));
    app.get('/me', (c) => c.json({ sub: c.var.user.sub }));
    return { app, issuer, lookups: () => lookups };
  }
  const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

  it('checks a token’s signature once and then lets the same token through from memory', async () => {
    const { app, issuer, lookups } = await appWithCountedKeys();
    const token = await issuer.sign({ sub: 'user-1' });

    const first = await app.request('/me', bearer(token));
    const second = await app.request('/me', bearer(token));

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await second.json()).toEqual({ sub: 'user-1' });
    expect(lookups()).toBe(1);
  });

  it('refuses a token from another issuer every time it is sent', async () => {
    const { app, lookups } = await appWithCountedKeys();
    const stranger = await createTestTokenIssuer('someone-else');
    const token = await stranger.sign({ sub: 'user-2' });

    const answers = [await app.request('/me', bearer(token)), await app.request('/me', bearer(token))];

    expect(answers.map((res) => res.status)).toEqual([401, 401]);
    expect(lookups()).toBe(2);
  });
});
