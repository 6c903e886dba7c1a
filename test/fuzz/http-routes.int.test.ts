import fc from 'fast-check';
import { jwtAttacks, signValidToken } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_TOKEN } from '../../bot/test/support/harness.ts';
import { prototypeNames } from '../support/arbitraries.ts';
import { sendAndCheck, type Sent } from '../support/http-contract.ts';
import { describeRoute, routesOf, type Route } from '../support/routes.ts';
import { serviceNames, startWholeShop, type WholeShop } from '../support/whole-shop.ts';
import { requestsFor, strayRequests, type Credentials } from './requests.ts';

// Documented routes hold the logic and get most runs; health, metrics and docs are shared code.
// fast-check draws a new seed each run and prints it with any counterexample, for replay.
const RUNS = { documented: 250, plumbing: 20, stray: 50 };

let shop: WholeShop;
let credentials: Credentials;
beforeAll(async () => {
  shop = await startWholeShop('fuzz_http');
  const key = shop.trustedKey();
  const user = await shop.signUp('fuzz');
  const admin = { sub: crypto.randomUUID(), role: 'admin' as const };
  credentials = {
    // Signed like auth's own but valid for 5 minutes: the suite may outlive a 60-second test token.
    user: await signValidToken(key, { sub: user.id, role: 'user' }),
    admin: await signValidToken(key, admin),
    attacks: await Promise.all(jwtAttacks.map((attack) => attack.forge(key, admin))),
    serviceToken: SERVICE_TOKEN,
  };
});
afterAll(() => shop.close());

/** Answers that show the request got past parsing, validation and authentication. */
const reachedTheRoute = (route: Route, status: number) =>
  status < 400 || [403, 404, 409, 422, 429].includes(status) || (status === 401 && !route.secured);

async function fuzz(route: Route): Promise<number[]> {
  const own: number[] = [];
  await fc.assert(
    fc.asyncProperty(requestsFor(route, credentials), async (sent) => {
      const status = await sendAndCheck(shop.apps[route.service], sent);
      if (sent.method === route.method) own.push(status);
    }),
    { numRuns: route.documented ? RUNS.documented : RUNS.plumbing },
  );
  return own;
}

describe('every HTTP route of every service, fuzzed', () => {
  it.for(serviceNames)(
    '%s: random and adversarial requests never get a 5xx, a stack trace or a non-contract error',
    { timeout: 120_000 },
    async (service) => {
      const routes = await routesOf(service, shop.apps[service]);
      expect(routes.length).toBeGreaterThan(0);
      for (const route of routes) {
        const statuses = await fuzz(route);
        // A fuzzer that never gets past validation would be fuzzing nothing but zod.
        expect(
          statuses.some((status) => reachedTheRoute(route, status)),
          `${describeRoute(route)} only answered ${[...new Set(statuses)].join(', ')}`,
        ).toBe(true);
      }
    },
  );

  it.for(serviceNames)('%s: paths nobody serves get the contract 404', async (service) => {
    await fc.assert(
      fc.asyncProperty(strayRequests, async (sent) => {
        await sendAndCheck(shop.apps[service], sent);
      }),
      { numRuns: RUNS.stray },
    );
  });
});

describe('what the fuzzer found, replayed', () => {
  const admin = (sent: Omit<Sent, 'headers'>): Sent => ({
    ...sent,
    headers: { Authorization: `Bearer ${credentials.admin}`, 'Content-Type': 'application/json' },
  });

  // A name like `toString` is a value like any other, never a member an object lookup inherits.
  it.for(serviceNames)(
    '%s: path parameters named like Object.prototype members are plain values',
    async (service) => {
      const routes = (await routesOf(service, shop.apps[service])).filter((route) =>
        route.path.includes(':'),
      );
      for (const route of routes) {
        for (const name of prototypeNames) {
          const url = route.path.replace(/:\w+/g, name);
          await sendAndCheck(
            shop.apps[service],
            admin({ method: route.method, url, ...(route.method === 'GET' ? {} : { body: '{}' }) }),
          );
        }
      }
    },
  );

  // PostgreSQL text cannot hold U+0000: such input is refused before it reaches a query.
  it.for([
    { method: 'GET', url: '/products?q=a%00b' },
    {
      method: 'POST',
      url: '/products',
      body: JSON.stringify({ name: 'a\u0000b', priceCents: 100, categoryId: 1 }),
    },
    {
      method: 'POST',
      url: '/products',
      body: JSON.stringify({ name: { en: 'Tea', ru: '\u0000' }, priceCents: 100, categoryId: 1 }),
    },
    { method: 'PATCH', url: '/products/1', body: JSON.stringify({ description: 'tea\u0000' }) },
  ])('catalog refuses a NUL character with 400: $method $url', async (sent) => {
    expect(await sendAndCheck(shop.apps.catalog, admin(sent))).toBe(400);
  });
});
