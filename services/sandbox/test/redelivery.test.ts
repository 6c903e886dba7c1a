import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from '@shop/testkit';
import { Api } from 'grammy';
import type { Update } from 'grammy/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PayResult } from '../src/index.ts';
import { startTestSandbox, TOKEN } from './harness.ts';

let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
let userId: number;
const servers: Server[] = [];
beforeEach(async () => {
  sandbox = await startTestSandbox();
  userId = (await sandbox.createUser()).id;
});
afterEach(async () => {
  await sandbox.close();
  for (const server of servers.splice(0)) server.close();
});

const reportPayment = async () => {
  const answer = await sandbox.request('POST', `/sandbox/api/chats/${userId}/successful-payments`, {
    currency: 'XTR',
    totalAmount: 25,
    invoicePayload: 'order:5',
  });
  return (answer.body as PayResult & { status: 'paid' }).updateId ?? 0;
};
const redeliver = (updateId: number) => sandbox.request('POST', `/sandbox/api/updates/${updateId}/redeliver`);

/** A webhook endpoint that records each update and answers with what `reply` returns (200). */
async function webhook(reply: (update: Update) => unknown = () => undefined) {
  const received: Update[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const update = JSON.parse(body) as Update;
      received.push(update);
      const answer = reply(update);
      if (answer === undefined) res.writeHead(200).end();
      else res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  await sandbox.api.setWebhook(url);
  return received;
}

describe('unconfirmed updates', () => {
  it('go to a restarted bot again: only an offset above an update confirms it', async () => {
    const updateId = await reportPayment();
    const crashed = await new Api(TOKEN, { apiRoot: sandbox.url }).getUpdates({ timeout: 0 });
    expect(crashed.map((update) => update.update_id)).toEqual([updateId]);

    const restarted = new Api(TOKEN, { apiRoot: sandbox.url });
    const again = await restarted.getUpdates({ offset: updateId, timeout: 0 });
    expect(again).toEqual(crashed);
    expect(await restarted.getUpdates({ offset: updateId + 1, timeout: 0 })).toEqual([]);
  });
});

describe('redelivering an update', () => {
  it('hands a confirmed successful_payment to the next getUpdates again, with the same update_id, once', async () => {
    const updateId = await reportPayment();
    const [first] = await sandbox.api.getUpdates({ timeout: 0 });
    expect(await sandbox.api.getUpdates({ offset: updateId + 1, timeout: 0 })).toEqual([]);
    await sandbox.say(userId, 'later');

    expect(await redeliver(updateId)).toMatchObject({
      status: 200,
      body: { update: { update_id: updateId } },
    });
    const next = await sandbox.api.getUpdates({ offset: updateId + 1, timeout: 0 });
    expect(next[0]).toEqual(first);
    expect(next.map((update) => update.message?.text ?? 'payment')).toEqual(['payment', 'later']);
    const after = await sandbox.api.getUpdates({ offset: (next.at(-1)?.update_id ?? 0) + 1, timeout: 0 });
    expect(after).toEqual([]);
  });

  it('posts it to the webhook again', async () => {
    const received = await webhook();
    const updateId = await reportPayment();
    await eventually(() => expect(received).toHaveLength(1));

    await redeliver(updateId);
    await eventually(() => expect(received).toHaveLength(2));
    expect(received[1]).toEqual(received[0]);
    expect(received[1]?.message?.successful_payment?.invoice_payload).toBe('order:5');
    await eventually(async () => expect((await sandbox.api.getWebhookInfo()).pending_update_count).toBe(0));
  });

  it('lists updates with whether they wait, and answers 404 for one it does not know', async () => {
    const updateId = await reportPayment();
    const { updates } = await sandbox.control<{ updates: { update: Update; pending: boolean }[] }>(
      '/sandbox/api/updates',
    );
    expect(updates).toEqual([
      { update: expect.objectContaining({ update_id: updateId }) as unknown, pending: true },
    ]);
    expect((await redeliver(12345)).status).toBe(404);
  });
});

describe('paying with a webhook', () => {
  it("takes the bot's answer to the pre-checkout query from the webhook's reply", async () => {
    const received = await webhook((update) =>
      update.pre_checkout_query
        ? { method: 'answerPreCheckoutQuery', pre_checkout_query_id: update.pre_checkout_query.id, ok: true }
        : undefined,
    );
    const invoice = await sandbox.api.sendInvoice(userId, 'Order #5', 'E-book', 'order:5', 'XTR', [
      { label: 'E-book', amount: 25 },
    ]);

    const answer = await sandbox.request(
      'POST',
      `/sandbox/api/chats/${userId}/invoices/${invoice.message_id}/pay`,
    );
    expect(answer.body).toMatchObject({ status: 'paid' });
    await eventually(() =>
      expect(received.map((update) => Object.keys(update)[1])).toEqual(['pre_checkout_query', 'message']),
    );
  });
});
