import { uniqueEmail } from '@shop/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startShopWebForTest, type ShopWeb } from './start.ts';

// Auth trusts one proxy hop (the storefront); the storefront trusts one (the proxy in front of it).
let web: ShopWeb;
beforeAll(async () => {
  web = await startShopWebForTest('web_client_address', {
    env: { WEB_TRUST_PROXY_HOPS: '1' },
    authEnv: { TRUST_PROXY_HOPS: '1', AUTH_RATE_PER_CLIENT_PER_MINUTE: '3' },
  });
}, 60_000);
afterAll(() => web.close());

const browserAt = (address: string) => {
  const browser = web.browser();
  browser.headers['X-Forwarded-For'] = address;
  return browser;
};
const signIn = (browser: ReturnType<typeof browserAt>) =>
  browser.post('/signin', { email: uniqueEmail('nobody'), password: 'wrong password', next: '/' });

it("charges auth's per-client limit to the browser's address, not the storefront's", async () => {
  const flooding = browserAt('203.0.113.7');
  for (let attempt = 0; attempt < 3; attempt++) expect((await signIn(flooding)).status).toBe(400);
  const limited = await signIn(flooding);
  expect(limited.status).toBe(429);
  expect(limited.html).toContain('Too many attempts. Please wait a minute and try again.');
  // Another browser behind the same storefront is not held back by the first one's tries.
  const other = await signIn(browserAt('203.0.113.8'));
  expect(other.status).toBe(400);
  expect(other.html).toContain('The e-mail or the password is wrong.');
}, 30_000);
