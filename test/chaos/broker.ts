/**
 * The suite's view of RabbitMQ in the shop's virtual host: poison messages it plants, queue
 * depths as `rabbitmqctl` reports them, and what the dead-letter queues hold.
 */
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { connect } from 'amqplib';
import { DEFAULT_EXCHANGE } from '@shop/shared';

const exec = promisify(execFile);
const BINDING_WAIT_MS = 30_000;

/** AMQP URL of virtual host `vhost` on the local broker. */
export function vhostUrl(vhost: string): string {
  const url = new URL(process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
  url.pathname = `/${encodeURIComponent(vhost)}`;
  return url.toString();
}

async function rabbitmqctlRows(vhost: string, ...args: string[]): Promise<string[][]> {
  const { stdout } = await exec('rabbitmqctl', ['-q', '--no-table-headers', ...args, '-p', vhost], {
    timeout: 60_000,
  });
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split('\t'));
}

/** Every queue of the virtual host with its messages (ready and unacked). */
export async function queueDepths(vhost: string): Promise<Map<string, number>> {
  const rows = await rabbitmqctlRows(vhost, 'list_queues', 'name', 'messages');
  return new Map(rows.map(([name = '', messages = '0']) => [name, Number(messages)]));
}

/** Does a topic binding key match a routing key (`*` one word, `#` any number of words)? */
function topicMatches(pattern: string, key: string): boolean {
  const source = pattern
    .split('.')
    .map((word) => (word === '#' ? '.*' : word === '*' ? '[^.]+' : word.replace(/[^\w-]/g, '\\$&')))
    .join('\\.');
  return new RegExp(`^${source}$`).test(key);
}

/** Queues bound to the event exchange with a key that `routingKey` reaches. */
export async function queuesReachedBy(vhost: string, routingKey: string): Promise<string[]> {
  const rows = await rabbitmqctlRows(
    vhost,
    'list_bindings',
    'source_name',
    'destination_name',
    'routing_key',
  );
  const queues = rows
    .filter(([source, , key = '']) => source === DEFAULT_EXCHANGE && topicMatches(key, routingKey))
    .map(([, destination = '']) => destination);
  return [...new Set(queues)];
}

/**
 * Queues that `routingKey` reaches, looked up again for a while when there is none: right after
 * a broker restart, a listing of bindings may lag behind the consumers that declared them. A
 * binding that never shows up still fails the run.
 */
async function boundQueues(vhost: string, routingKey: string): Promise<string[]> {
  const deadline = Date.now() + BINDING_WAIT_MS;
  for (;;) {
    const queues = await queuesReachedBy(vhost, routingKey);
    if (queues.length > 0) return queues;
    if (Date.now() > deadline)
      throw new Error(`no queue is bound to ${routingKey} after ${BINDING_WAIT_MS / 1000} s`);
    await sleep(1_000);
  }
}

export interface Poison {
  messageId: string;
  routingKey: string;
  body: string;
}

/** Malformed in every way a consumer must not choke on: not JSON, not an envelope, a bad payload. */
export function poisonBatch(label: string): Poison[] {
  const validEnvelope = (type: string, data: unknown) =>
    JSON.stringify({
      id: crypto.randomUUID(),
      type,
      occurredAt: new Date().toISOString(),
      correlationId: crypto.randomUUID(),
      data,
    });
  return [
    { routingKey: 'order.created', body: '{"this is": not json' },
    { routingKey: 'order.created', body: validEnvelope('order.created', { orderId: -1, items: [] }) },
    { routingKey: 'payment.succeeded', body: JSON.stringify({ hello: 'world' }) },
    { routingKey: 'payment.failed', body: validEnvelope('payment.failed', { orderId: 'seven' }) },
    { routingKey: 'user.telegram_linked', body: '\u0000\u0001 binary garbage' },
    { routingKey: 'stock.reserved', body: validEnvelope('stock.reserved', { orderId: 1, items: 'none' }) },
    {
      routingKey: 'order.cancelled',
      body: validEnvelope('order.cancelled', { orderId: 1, reason: 'bored' }),
    },
  ].map((poison, index) => ({ ...poison, messageId: `chaos-poison-${label}-${index + 1}` }));
}

/** Publishes `batch` to the event exchange with confirms; returns the dead-letter queue each copy must reach. */
export async function plantPoison(vhost: string, batch: Poison[]): Promise<Map<string, string[]>> {
  const expected = new Map<string, string[]>();
  const connection = await connect(vhostUrl(vhost));
  try {
    const channel = await connection.createConfirmChannel();
    for (const poison of batch) {
      const queues = await boundQueues(vhost, poison.routingKey);
      for (const queue of queues) {
        const dlq = `${queue}.dlq`;
        expected.set(dlq, [...(expected.get(dlq) ?? []), poison.messageId]);
      }
      channel.publish(DEFAULT_EXCHANGE, poison.routingKey, Buffer.from(poison.body), {
        messageId: poison.messageId,
        persistent: true,
        contentType: 'application/json',
      });
    }
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
  return expected;
}

/** The message ids in each dead-letter queue, read without taking them out. */
export async function deadLetters(vhost: string): Promise<Map<string, string[]>> {
  const queues = [...(await queueDepths(vhost))].filter(
    ([name, depth]) => name.endsWith('.dlq') && depth > 0,
  );
  const found = new Map<string, string[]>();
  const connection = await connect(vhostUrl(vhost));
  try {
    for (const [queue] of queues) {
      // Unacked messages go back to the queue when the channel closes.
      const channel = await connection.createChannel();
      const ids: string[] = [];
      for (let message = await channel.get(queue); message; message = await channel.get(queue)) {
        ids.push(String(message.properties.messageId ?? '(no id)'));
      }
      await channel.close();
      found.set(queue, ids);
    }
  } finally {
    await connection.close();
  }
  return found;
}
