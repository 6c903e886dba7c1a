import { uniqueEmail } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAddress, servedReplicas, statusCounts, type ServedAuth } from '../support/auth-clients.ts';

const MAX_FAILURES = 5;
const STORM = 50;

describe("guessing the bot's service token", () => {
  let auth: ServedAuth;
  beforeAll(async () => {
    auth = await servedReplicas({ LOGIN_MAX_FAILURES: String(MAX_FAILURES), LOGIN_LOCK_SECONDS: '30' });
  });
  afterAll(() => auth.close());

  const accessToken = async () => {
    const from = newAddress();
    const credentials = { email: uniqueEmail('linker'), password: 'the right password' };
    await auth.post(0, from, '/auth/register', credentials);
    return ((await (await auth.post(0, from, '/auth/login', credentials)).json()) as { accessToken: string })
      .accessToken;
  };
  const link = (from: string, token: string, serviceToken: string) =>
    auth.put(
      from,
      '/auth/me/telegram',
      { telegramId: 1_000_000 + Math.floor(Math.random() * 1e9) },
      { Authorization: `Bearer ${token}`, 'X-Service-Token': serviceToken },
    );

  it('locks the guessing address out after 5 wrong tokens, even for the right one, while the bot goes on', async () => {
    const [attacker, bot] = [newAddress(), newAddress()];
    const token = await accessToken();
    for (let i = 0; i < MAX_FAILURES; i++)
      expect((await link(attacker, token, `guess-guess-guess-${i}`)).status).toBe(403);

    const locked = await link(attacker, token, auth.config.BOT_SERVICE_TOKEN);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('Retry-After'))).toBeGreaterThanOrEqual(29);
    expect(await locked.json()).toMatchObject({ error: { code: 'too_many_requests' } });
    expect((await link(bot, token, auth.config.BOT_SERVICE_TOKEN)).status).toBe(200);
  });

  it('locks the guessing address out of POST /auth/telegram too, while the bot signs its users in', async () => {
    const [attacker, bot] = [newAddress(), newAddress()];
    const signIn = (from: string, serviceToken: string) =>
      auth.post(
        0,
        from,
        '/auth/telegram',
        { telegramId: 1_000_000 + Math.floor(Math.random() * 1e9) },
        {
          'X-Service-Token': serviceToken,
        },
      );
    for (let i = 0; i < MAX_FAILURES; i++)
      expect((await signIn(attacker, `guess-guess-guess-${i}`)).status).toBe(403);

    const locked = await signIn(attacker, auth.config.BOT_SERVICE_TOKEN);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('Retry-After'))).toBeGreaterThanOrEqual(29);
    expect((await signIn(bot, auth.config.BOT_SERVICE_TOKEN)).status).toBe(201);
  });

  it('answers at most 5 of 50 parallel guesses, on either replica or through /auth/login', async () => {
    const attacker = newAddress();
    const token = await accessToken();
    const answers = await Promise.all(
      Array.from({ length: STORM }, (_, i) =>
        i % 2 === 0
          ? link(attacker, token, `guess-guess-guess-${i}`)
          : auth.post(
              i,
              attacker,
              '/auth/login',
              { email: uniqueEmail(), password: 'whatever it is' },
              { 'X-Service-Token': `guess-guess-guess-${i}` },
            ),
      ),
    );
    const counts = statusCounts(answers);
    expect(counts[403]).toBeLessThanOrEqual(MAX_FAILURES);
    expect(counts[403]! + counts[429]!).toBe(STORM);
  });
});
