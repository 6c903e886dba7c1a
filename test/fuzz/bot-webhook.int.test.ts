import fc from 'fast-check';
import { testLogger } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotServer } from '../../bot/src/server.ts';
import { startHarness, type Harness } from '../../bot/test/support/harness.ts';
import { anyText, wildJson } from '../support/arbitraries.ts';
import { sendAndCheck } from '../support/http-contract.ts';

const RUNS = 80;
const secret = 'a-webhook-secret-of-32-characters';

let h: Harness;
let app: ReturnType<typeof createBotServer>;
beforeAll(async () => {
  h = await startHarness('fuzz_webhook');
  app = createBotServer({
    bot: h.bot,
    logger: testLogger(),
    readiness: [],
    webhook: { path: '/telegram', secret },
  });
});
afterAll(() => h.close());

const post = (body: string, headers: Record<string, string> = {}) =>
  app.request('/telegram', {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/json', ...headers },
  });

describe('the bot webhook under random bodies', () => {
  // Any body with the right secret, a JSON object or not (even an empty one), is answered without a 5xx.
  it('answers no body a 5xx with the right secret, and 401 without it', async () => {
    const bodies = fc.oneof(
      wildJson.map((value) => JSON.stringify(value)),
      anyText(0, 60),
      fc.constantFrom('', 'null', '[]', '{', '"an update"', '{"update_id":1}'),
    );
    await fc.assert(
      fc.asyncProperty(bodies, fc.boolean(), async (body, knowsSecret) => {
        if (!knowsSecret) {
          expect((await post(body)).status).toBe(401);
          return;
        }
        const headers = { 'Content-Type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': secret };
        await sendAndCheck(app, { method: 'POST', url: '/telegram', headers, body });
      }),
      { numRuns: RUNS },
    );
  });

  it('still hands a real update to the bot', async () => {
    const id = 100_000_000 + Math.floor(Math.random() * 1_000_000_000);
    const chat = { id, type: 'private', first_name: 'Anna' };
    const from = { id, is_bot: false, first_name: 'Anna', language_code: 'en' };
    const entities = [{ type: 'bot_command', offset: 0, length: 5 }];
    const update = { update_id: 1, message: { message_id: 1, date: 0, chat, from, text: '/help', entities } };
    const before = h.telegram.calls.length;
    const res = await post(JSON.stringify(update), { 'X-Telegram-Bot-Api-Secret-Token': secret });
    expect(res.status).toBe(200);
    expect(h.telegram.calls.slice(before).map((call) => call.payload.chat_id)).toEqual([id]);
  });
});
