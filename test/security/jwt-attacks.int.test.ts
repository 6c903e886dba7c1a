import { jwtAttacks, signValidToken, type TrustedKey } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendAndCheck, type Sent } from '../support/http-contract.ts';
import { describeRoute, fillPath, routesOf, type Route } from '../support/routes.ts';
import { serviceNames, startWholeShop, type WholeShop } from '../support/whole-shop.ts';

let shop: WholeShop;
let key: TrustedKey;
let routes: Route[];
beforeAll(async () => {
  shop = await startWholeShop('sec_jwt');
  key = shop.trustedKey();
  const all = await Promise.all(serviceNames.map((service) => routesOf(service, shop.apps[service])));
  routes = all.flat().filter((route) => route.secured);
});
afterAll(() => shop.close());

/** A request to `route` that only its token can spoil: path and required query parameters filled in, a JSON body. */
function requestTo(route: Route, token: string): Sent {
  const query = route.parameters
    .filter((p) => p.in === 'query' && p.required)
    .map((p) => `${p.name}=1`)
    .join('&');
  return {
    method: route.method,
    url: `${fillPath(route.path, {})}${query ? `?${query}` : ''}`,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(route.method === 'GET' ? {} : { body: '{}' }),
  };
}

const subject = () => ({ sub: crypto.randomUUID(), role: 'admin' as const });

describe('the JWT attacks against every protected route of every service', () => {
  it('finds the protected routes of auth, catalog, order, payment and notification in their documents', () => {
    expect(new Set(routes.map((route) => route.service))).toEqual(
      new Set(['auth', 'catalog', 'order', 'payment', 'notification']),
    );
  });

  it('lets a token forged the attacks’ way with nothing wrong through (their control)', async () => {
    for (const route of routes) {
      const status = await sendAndCheck(
        shop.apps[route.service],
        requestTo(route, await signValidToken(key, subject())),
      );
      expect(status, describeRoute(route)).not.toBe(401);
    }
  });

  it.for(jwtAttacks)(
    'refuses $name on every protected route with 401 and WWW-Authenticate',
    async (attack) => {
      const token = await attack.forge(key, subject());
      for (const route of routes) {
        const sent = requestTo(route, token);
        const res = await shop.apps[route.service].request(sent.url, {
          method: sent.method,
          headers: sent.headers,
          body: sent.body,
        });
        expect(res.status, describeRoute(route)).toBe(401);
        expect(res.headers.get('WWW-Authenticate'), describeRoute(route)).toBe('Bearer');
        expect(await res.json(), describeRoute(route)).toMatchObject({ error: { code: 'unauthorized' } });
      }
    },
  );
});
