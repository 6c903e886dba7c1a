import { eventually, recordingLogger, uniqueEmail } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChat } from '../../bot/test/support/chat.ts';
import { rawGet } from '../../services/catalog/test/harness.ts';
import { SERVICE_TOKEN } from '../../bot/test/support/harness.ts';
import { BOT_TOKEN as NOTIFICATION_BOT_TOKEN, buyer } from '../../services/notification/test/harness.ts';
import { serviceNames, startWholeShop, type WholeShop } from '../support/whole-shop.ts';

// Every service, the bot and notification log here, at debug.
const { logger, lines } = recordingLogger();
let shop: WholeShop;
/** Every secret the flows below handle; none may appear in any log line. */
const secrets = new Set<string>([SERVICE_TOKEN, NOTIFICATION_BOT_TOKEN, '123:test']);
const keep = <T extends string>(secret: T) => {
  secrets.add(secret);
  return secret;
};
// Shapes of secrets whatever their value: bcrypt hashes, JWTs (header.payload), refresh tokens.
const shapes = [/\$2[aby]\$\d\d\$/, /eyJ[\w-]{10,}\.eyJ[\w-]{10,}/, /rt_[\w-]{43}/];

beforeAll(async () => {
  shop = await startWholeShop('sec_logs', logger);
  const [key] = await shop.harness.auth.orm.em
    .fork()
    .execute<{ private_jwk: { d: string } }[]>('select private_jwk from signing_keys');
  keep(key!.private_jwk.d);
});
afterAll(() => shop.close());

const auth = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  shop.apps.auth.request(path, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

type Pair = { accessToken: string; refreshToken: string };
const keepPair = async (res: Response) => {
  const pair = (await res.json()) as Pair;
  keep(pair.accessToken);
  keep(pair.refreshToken);
  return pair;
};

async function authFlows() {
  const email = uniqueEmail('logs');
  const password = keep(`secret ${crypto.randomUUID()}`);
  await auth('POST', '/auth/register', { email, password });
  await auth('POST', '/auth/login', { email, password: keep(`wrong ${crypto.randomUUID()}`) });
  const first = await keepPair(await auth('POST', '/auth/login', { email, password }));
  const second = await keepPair(await auth('POST', '/auth/refresh', { refreshToken: first.refreshToken }));
  // Reusing a rotated token revokes the family: a security event that gets logged.
  await auth('POST', '/auth/refresh', { refreshToken: first.refreshToken });
  const third = await keepPair(await auth('POST', '/auth/login', { email, password }));
  const bearer = { Authorization: `Bearer ${third.accessToken}` };
  await auth('GET', '/auth/me', undefined, bearer);
  await auth(
    'PUT',
    '/auth/me/telegram',
    { telegramId: 7 },
    { ...bearer, 'X-Service-Token': keep(`guess-${crypto.randomUUID()}`) },
  );
  await auth(
    'PUT',
    '/auth/me/telegram',
    { telegramId: 7 + Math.floor(Math.random() * 1e9) },
    { ...bearer, 'X-Service-Token': SERVICE_TOKEN },
  );
  // Signing in by Telegram identity: a guessed service token, then the bot's; the names are personal data.
  const telegramProfile = {
    telegramId: 7 + Math.floor(Math.random() * 1e9),
    firstName: keep(`Anna ${crypto.randomUUID()}`),
    username: keep(`u${crypto.randomUUID().replaceAll('-', '').slice(0, 30)}`),
  };
  await auth('POST', '/auth/telegram', telegramProfile, {
    'X-Service-Token': keep(`guess-${crypto.randomUUID()}`),
  });
  await keepPair(await auth('POST', '/auth/telegram', telegramProfile, { 'X-Service-Token': SERVICE_TOKEN }));
  await auth('POST', '/auth/logout', { refreshToken: second.refreshToken });
  let last = 0;
  for (let i = 0; i < 6; i++) {
    last = (
      await auth('POST', '/auth/login', { email, password: keep(`locked out ${i} ${crypto.randomUUID()}`) })
    ).status;
  }
  expect(last).toBe(429);
  return third;
}

async function orderFlow(pair: Pair) {
  const res = await shop.apps.order.request('/orders', {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${pair.accessToken}`,
      'Content-Type': 'application/json',
      'Idempotency-Key': crypto.randomUUID(),
    },
    body: JSON.stringify({ items: [{ productId: 1, quantity: 1 }] }),
  });
  const { id } = (await res.json()) as { id: number };
  await eventually(async () => {
    const payments = await shop.apps.payment.request(`/payments?orderId=${id}`, {
      headers: { Authorization: `Bearer ${pair.accessToken}` },
    });
    expect(await payments.json()).toHaveLength(1);
  });
}

async function botFlows() {
  const { telegram, bot, deps } = shop.harness;
  // A buyer who never registered, signed in by their Telegram identity; their name is personal data.
  const oneTap = createChat(telegram, () => bot, 'ru', { firstName: keep(`Olga ${crypto.randomUUID()}`) });
  await oneTap.send('/orders');
  const oneTapSignIn = await deps.signIns.get(oneTap.id);
  expect(oneTapSignIn).toBeDefined();
  keep(oneTapSignIn!.accessToken);
  keep(oneTapSignIn!.refreshToken);
  const chat = createChat(telegram, () => bot, 'en');
  const email = uniqueEmail('logs-bot');
  const password = keep(`bot secret ${crypto.randomUUID()}`);
  await chat.send('/register');
  await chat.send(email);
  await chat.send(password);
  const signIn = await deps.signIns.get(chat.id);
  expect(signIn).toBeDefined();
  keep(signIn!.accessToken);
  keep(signIn!.refreshToken);
  await chat.send('/orders');
  await chat.send('/logout');
  // Log in again: a wrong password first, then a Bot API failure while answering the right one.
  await chat.send('/login');
  await chat.send(email);
  await chat.send(keep(`bot wrong ${crypto.randomUUID()}`));
  telegram.failures.set('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' });
  await chat.send(password);
}

async function notificationFlows() {
  const { rig } = shop;
  const paid = buyer();
  const blocked = buyer();
  rig.telegram.script(blocked.chatId, { status: 500 }, { status: 403 });
  await rig.publish(paid.linked, paid.order, blocked.linked, blocked.order);
  await rig.projected([paid, blocked]);
  await rig.publish(paid.paid(), blocked.failed());
  await eventually(() => expect(rig.telegram.calls.length).toBeGreaterThanOrEqual(3));
}

/**
 * Requests with secrets in their query and headers, to every service through Hono and to the
 * catalog's fast path (served as main.ts serves it); returns the request ids they were sent with.
 */
async function requestsCarryingSecrets(): Promise<string[]> {
  const query = () =>
    `?token=${keep(`qt${crypto.randomUUID()}`)}&password=${keep(`qp${crypto.randomUUID()}`)}` +
    `&access_token=${keep(`qa${crypto.randomUUID()}`)}`;
  const headers = (reqId: string) => ({
    'X-Request-Id': reqId,
    Authorization: `Bearer ${keep(`ha${crypto.randomUUID()}`)}`,
    'X-Service-Token': keep(`hs${crypto.randomUUID()}`),
    Cookie: `session=${keep(`hc${crypto.randomUUID()}`)}`,
  });
  const sent: string[] = [];
  const reqId = () => {
    sent.push(`secrets-${crypto.randomUUID()}`);
    return sent.at(-1)!;
  };
  const paths = {
    auth: '/auth/me',
    catalog: '/products',
    order: '/cart',
    payment: '/payments',
    notification: '/',
  };
  for (const name of serviceNames)
    await shop.apps[name].request(`${paths[name]}${query()}`, { headers: headers(reqId()) });

  const { catalog } = shop.harness.shop;
  let fellThrough = 0;
  const served = await catalog.serve({
    front: (app) =>
      catalog.front((req, res) => {
        fellThrough += 1;
        app(req, res);
      }),
  });
  try {
    await rawGet(served.port, '/products/1'); // fills the cache: what follows is a fast-path hit
    const before = fellThrough;
    const hit = await rawGet(served.port, '/products/1', headers(reqId()));
    expect([hit.status, fellThrough]).toEqual([200, before]);
    await rawGet(served.port, `/products/1${query()}`, headers(reqId()));
  } finally {
    await served.close();
  }
  return sent;
}

describe('secrets in logs', () => {
  it(
    'appear in no log line of any service or the bot, through every flow that handles them, at debug',
    { timeout: 60_000 },
    async () => {
      const pair = await authFlows();
      await orderFlow(pair);
      await botFlows();
      await notificationFlows();
      const carrying = await requestsCarryingSecrets();

      // The scan means something only if debug lines and request lines were recorded.
      expect(lines.some((line) => line.level === 20)).toBe(true);
      expect(lines.filter((line) => line.msg === 'request').length).toBeGreaterThan(10);
      for (const reqId of carrying) {
        const logged = lines.filter((line) => line.reqId === reqId && line.msg === 'request');
        expect(logged, `the access line of ${reqId}`).toHaveLength(1);
      }
      for (const line of lines) {
        const text = JSON.stringify(line);
        for (const secret of secrets)
          expect(text.includes(secret), `a secret in: ${text.slice(0, 400)}`).toBe(false);
        for (const shape of shapes) expect(text, 'a secret-shaped string').not.toMatch(shape);
      }
    },
  );
});
