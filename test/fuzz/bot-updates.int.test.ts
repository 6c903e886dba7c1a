import fc from 'fast-check';
import type { Update } from 'grammy/types';
import { recordingLogger, uniqueEmail } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchButton } from '../../bot/src/buttons.ts';
import { startHarness, type Harness } from '../../bot/test/support/harness.ts';
import type { ApiCall } from '../../bot/test/support/fake-telegram.ts';
import { updates, type FuzzUsers } from './updates.ts';

const RUNS = 60;
const MAX_UPDATES_PER_RUN = 10;

const { logger, lines } = recordingLogger();
let h: Harness;
let users: FuzzUsers;
let nextUpdateId = 1;
// Random per run: the bot suites share one auth database, where a Telegram id links to one user.
const firstUserId = 100_000_000 + Math.floor(Math.random() * 1_000_000_000);

async function send(update: Omit<Update, 'update_id'>): Promise<ApiCall[]> {
  const start = h.telegram.calls.length;
  await h.bot.handleUpdate({ update_id: nextUpdateId++, ...update });
  return h.telegram.calls.slice(start);
}

beforeAll(async () => {
  h = await startHarness('fuzz_bot', { logger });
  users = {
    ids: [firstUserId, firstUserId + 1, firstUserId + 2],
    signedIn: firstUserId + 3,
    email: uniqueEmail('fuzz-bot'),
    password: 'a good password',
  };
  await h.deps.auth.register(users.email, users.password);
  const chat = { id: users.signedIn, type: 'private' as const, first_name: 'Anna' };
  const from = { id: users.signedIn, is_bot: false, first_name: 'Anna', language_code: 'en' };
  for (const text of ['/login', users.email, users.password]) {
    const entities = text.startsWith('/')
      ? [{ type: 'bot_command' as const, offset: 0, length: text.length }]
      : [];
    await send({ message: { message_id: 1, date: 0, chat, from, text, entities } });
  }
  // An order to list and open, so /orders and its buttons have something to show.
  await h.deps.signIns.withToken(users.signedIn, (token) =>
    h.deps.orders.create(
      token,
      {
        items: [{ productId: '1', quantity: 1 }],
        expectedTotalCents: 1050,
        delivery: { name: 'Anna', phone: '+7 999 123-45-67', address: 'Nevsky 1' },
      },
      crypto.randomUUID(),
      'en',
    ),
  );
});
afterAll(() => h.close());

/**
 * Error lines since `index`: the bot's failed updates and the services' unhandled errors. MikroORM's
 * own line for a failed statement is left out: a unique violation is a handled 409 (e-mail taken),
 * and anything unhandled is logged again as such.
 */
const errorsSince = (index: number) =>
  lines.slice(index).filter((line) => Number(line.level) >= 50 && line.namespace !== 'query');

/** What Telegram itself would refuse: the fake accepts anything, so the suite checks it. */
function expectTelegramWouldAccept(call: ApiCall) {
  const where = `${call.method} ${JSON.stringify(call.payload).slice(0, 300)}`;
  const text = typeof call.payload.text === 'string' ? call.payload.text : '';
  if (call.method === 'sendMessage' || call.method === 'editMessageText') {
    expect(text.trim().length, `${where}: empty text`).toBeGreaterThan(0);
    expect(text.length, `${where}: text over 4096`).toBeLessThanOrEqual(4_096);
  }
  if (call.method === 'answerCallbackQuery') {
    expect(text.length, `${where}: alert over 200`).toBeLessThanOrEqual(200);
  }
  const markup = call.payload.reply_markup as
    { inline_keyboard?: { text: string; callback_data?: string; url?: string }[][] } | undefined;
  for (const button of markup?.inline_keyboard?.flat() ?? []) {
    expect(button.text.length, `${where}: a button without text`).toBeGreaterThan(0);
    if (button.url !== undefined) {
      expect(button.url, `${where}: a link button must open a t.me link`).toMatch(/^https:\/\/t\.me\/\w+$/);
      continue;
    }
    const bytes = Buffer.byteLength(button.callback_data ?? '', 'utf8');
    expect(bytes, `${where}: callback_data must be 1-64 bytes`).toBeGreaterThan(0);
    expect(bytes, `${where}: callback_data must be 1-64 bytes`).toBeLessThanOrEqual(64);
  }
}

describe('the bot under random updates', () => {
  it(
    'never fails an update, answers every button press exactly once and sends only what Telegram accepts',
    { timeout: 120_000 },
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(updates(users), { minLength: 1, maxLength: MAX_UPDATES_PER_RUN }),
          async (list) => {
            for (const generated of list) {
              const update: Omit<Update, 'update_id'> = generated.callback_query
                ? { callback_query: { ...generated.callback_query, id: `q${nextUpdateId}` } }
                : generated;
              const logged = lines.length;
              const calls = await send(update);
              const context = JSON.stringify(update).slice(0, 400);
              const failures = errorsSince(logged);
              expect(failures, `${context} logged errors`).toEqual([]);
              if (update.callback_query) {
                const answers = calls.filter(
                  (call) =>
                    call.method === 'answerCallbackQuery' &&
                    call.payload.callback_query_id === update.callback_query?.id,
                );
                expect(answers, `${context}: answered ${answers.length} times`).toHaveLength(1);
              }
              for (const call of calls) expectTelegramWouldAccept(call);
            }
          },
        ),
        { numRuns: RUNS },
      );
    },
  );
});

describe('what the fuzzer found, replayed', () => {
  /** A private chat with the bot as one of the fuzz users, out of any conversation the fuzzer left it in. */
  async function freshChat(userId: number) {
    const chat = { id: userId, type: 'private' as const, first_name: 'Anna' };
    const from = { id: userId, is_bot: false, first_name: 'Anna', language_code: 'en' };
    const text = (value: string) => {
      const entities = value.startsWith('/')
        ? [{ type: 'bot_command' as const, offset: 0, length: value.length }]
        : [];
      return send({ message: { message_id: 1, date: 0, chat, from, text: value, entities } });
    };
    const press = (id: string, data: string) =>
      send({
        callback_query: {
          id,
          from,
          chat_instance: 'ci',
          data,
          message: { message_id: 1, date: 0, chat, text: '…' },
        },
      });
    await text('/cancel');
    return { text, press };
  }

  // A NUL character went into the catalog search (a 500, then a 400) and the chat got "Something went wrong".
  it('searches for a text with a NUL character like for the text without it', async () => {
    const chat = await freshChat(users.ids[0]!);
    const logged = lines.length;
    const calls = await chat.text('Gre\u0000en tea');
    expect(errorsSince(logged)).toEqual([]);
    expect(calls.map((call) => String(call.payload.text))).toEqual([expect.stringContaining('Green tea')]);
  });

  // Search pages 0 and past the catalog's 100 000 got a 400 from the catalog and "Something went wrong".
  // No Next button leads there, so the codec reads such a press as an old button.
  it.for([0, 600_000])('answers a press of search page %i after a search without an error', async (page) => {
    const chat = await freshChat(users.ids[1]!);
    await chat.text('coffee');
    const logged = lines.length;
    const id = `q-replay-${page}`;
    const calls = await chat.press(id, `${searchButton.prefix}:${page.toString(36)}`);
    expect(errorsSince(logged)).toEqual([]);
    const answers = calls.filter((call) => call.payload.callback_query_id === id);
    expect(answers.map((call) => call.payload.text)).toEqual([
      'This button belongs to an older message and no longer works.',
    ]);
  });
});
