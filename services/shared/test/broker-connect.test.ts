import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { eventually, recordingLogger } from '@shop/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createBroker, type Broker } from '../src/messaging/broker.ts';

/** A port that accepts connections and never says a word: a broker stalled in its handshake. */
async function silentBroker() {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `amqp://guest:guest@127.0.0.1:${(server.address() as AddressInfo).port}`,
    attempts: () => sockets.length,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('createBroker', () => {
  it('gives up on a connection whose handshake gets no answer, says so, and tries again', async () => {
    const server = await silentBroker();
    cleanup.push(server.close);
    const { logger, lines } = recordingLogger();
    const broker: Broker = await createBroker({
      url: server.url,
      logger,
      connectTimeoutMs: 200,
      reconnect: { initialDelayMs: 10, maxDelayMs: 50 },
    });
    cleanup.push(() => broker.close());

    await eventually(() => expect(server.attempts()).toBeGreaterThanOrEqual(3), 5_000);
    expect(broker.isConnected()).toBe(false);
    expect(lines.some((line) => line.msg === 'cannot connect to RabbitMQ')).toBe(true);
  });
});
