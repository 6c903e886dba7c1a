import { uniqueEmail } from '@shop/testkit';
import { describe, expect, it } from 'vitest';
import { REFUSAL_PAUSE_MS } from '../../services/auth/src/routes/client-gate.ts';
import { newAddress, servedReplicas, statusCounts } from '../support/auth-clients.ts';

describe('rate limits on /auth/register and /auth/login', () => {
  it('lets one address make AUTH_RATE_PER_CLIENT_PER_MINUTE of them a minute, on any replica; others go on', async () => {
    const auth = await servedReplicas({ AUTH_RATE_PER_CLIENT_PER_MINUTE: '3' });
    try {
      const [flooder, neighbour] = [newAddress(), newAddress()];
      const credentials = { email: uniqueEmail('flood'), password: 'the right password' };
      expect((await auth.post(0, flooder, '/auth/register', credentials)).status).toBe(201);
      expect((await auth.post(1, flooder, '/auth/login', credentials)).status).toBe(200);
      expect((await auth.post(0, flooder, '/auth/login', credentials)).status).toBe(200);

      const asked = performance.now();
      const refused = await auth.post(1, flooder, '/auth/login', credentials);
      expect(refused.status).toBe(429);
      // Answered only after a pause: a flood on one connection gets one refusal a second.
      expect(performance.now() - asked).toBeGreaterThanOrEqual(REFUSAL_PAUSE_MS - 50);
      // One request every 20 s after the first three.
      expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(15);
      expect(Number(refused.headers.get('Retry-After'))).toBeLessThanOrEqual(20);
      expect((await auth.post(0, neighbour, '/auth/login', credentials)).status).toBe(200);
    } finally {
      await auth.close();
    }
  });

  it("counts each Telegram user the bot names separately, but a forged name as the sender's address", async () => {
    const auth = await servedReplicas({ AUTH_RATE_PER_CLIENT_PER_MINUTE: '2' });
    try {
      const bot = newAddress();
      const asBot = (telegramId: number) => ({
        'X-Service-Token': auth.config.BOT_SERVICE_TOKEN,
        'X-Client-Id': `telegram:${telegramId}`,
      });
      const credentials = { email: uniqueEmail('chat'), password: 'the right password' };
      await auth.post(0, bot, '/auth/register', credentials, asBot(1));
      for (const telegramId of [1, 2, 3, 4])
        expect((await auth.post(telegramId, bot, '/auth/login', credentials, asBot(telegramId))).status).toBe(
          200,
        );

      const stranger = newAddress();
      const forged = [5, 6, 7].map((telegramId) => ({ 'X-Client-Id': `telegram:${telegramId}` }));
      const answers = [];
      for (const headers of forged)
        answers.push(await auth.post(0, stranger, '/auth/login', credentials, headers));
      expect(answers.map((res) => res.status)).toEqual([200, 200, 429]);
    } finally {
      await auth.close();
    }
  });

  it('refuses what goes over AUTH_RATE_TOTAL_PER_SECOND across replicas with 429 and Retry-After', async () => {
    const auth = await servedReplicas({ AUTH_RATE_TOTAL_PER_SECOND: '1' });
    try {
      const started = Date.now();
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          auth.post(i, newAddress(), '/auth/login', { email: uniqueEmail(), password: 'not known here' }),
        ),
      );
      const elapsedSeconds = (Date.now() - started) / 1000;
      const counts = statusCounts(answers);
      // One at once, then one a second.
      expect(counts[401]).toBeLessThanOrEqual(1 + Math.ceil(elapsedSeconds));
      expect(counts[401]! + counts[429]!).toBe(10);
      for (const res of answers.filter((answer) => answer.status === 429))
        expect(Number(res.headers.get('Retry-After'))).toBe(1);
    } finally {
      await auth.close();
    }
  });
});
