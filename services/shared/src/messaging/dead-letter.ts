import { setTimeout as sleep } from 'node:timers/promises';
import type { Channel, ConsumeMessage, Options } from 'amqplib';
import type { Logger } from 'pino';
import type { Broker } from './broker.ts';
import type { InvalidEventError } from './contracts.ts';
import { RETRY_COUNT_HEADER, type ConsumerTopology } from './topology.ts';

/** Why a message is in the dead-letter queue: `malformed`, `schema_invalid` or `retries_exhausted`. */
export const DEAD_LETTER_REASON_HEADER = 'x-dead-letter-reason';
/** The last error, truncated. */
export const LAST_ERROR_HEADER = 'x-last-error';

/** A requeued message comes straight back: give a struggling broker a moment first. */
const REQUEUE_DELAY_MS = 1_000;
const MAX_ERROR_LENGTH = 500;

interface DeadLettererOptions {
  broker: Broker;
  topology: ConsumerTopology;
  logger: Logger;
}

/** How a consumer settles a delivery; every path acks only once the message is safe elsewhere. */
export interface DeadLetterer {
  /** With `allUpTo`, also acks every earlier delivery of the channel not yet settled. */
  ack(channel: Channel, message: ConsumeMessage, allUpTo?: boolean): void;
  /** Sends an unreadable message to the dead-letter queue at once. */
  reject(channel: Channel, message: ConsumeMessage, error: InvalidEventError): Promise<void>;
  /** Parks a failed message in the next retry queue, or dead-letters it after the last. */
  retry(channel: Channel, message: ConsumeMessage, error: unknown): Promise<void>;
}

/** Retries so far, from the header our own retry copies carry. */
export function retryCount(message: ConsumeMessage): number {
  const value = Number(headersOf(message)[RETRY_COUNT_HEADER] ?? 0);
  return Number.isInteger(value) && value > 0 ? value : 0;
}

/** Properties a retry or dead-letter copy keeps from the original. */
const COPIED_PROPERTIES = [
  'messageId',
  'type',
  'correlationId',
  'contentType',
  'contentEncoding',
  'timestamp',
  'appId',
];

/** The original properties, minus the broker's own x-death bookkeeping, plus `headers`. */
function copyOptions(message: ConsumeMessage, headers: Record<string, unknown>): Options.Publish {
  // amqplib types message properties as `any`.
  const properties = message.properties as unknown as Record<string, unknown>;
  const kept = Object.entries(headersOf(message)).filter(
    ([key]) => !/^x-(death|first-death|last-death)/.test(key),
  );
  const options: Record<string, unknown> = {
    persistent: true,
    headers: { ...Object.fromEntries(kept), ...headers },
  };
  for (const key of COPIED_PROPERTIES) {
    if (properties[key] !== undefined && properties[key] !== null) options[key] = properties[key];
  }
  return options;
}

function headersOf(message: ConsumeMessage): Record<string, unknown> {
  return message.properties.headers ?? {};
}

/** The message id for log lines. */
export function messageIdOf(message: ConsumeMessage): string {
  return String(message.properties.messageId ?? '(none)');
}

const describe = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_LENGTH);

/** Builds the settle paths of one consumer. */
export function createDeadLetterer({ broker, topology, logger }: DeadLettererOptions): DeadLetterer {
  const ack = (channel: Channel, message: ConsumeMessage, allUpTo = false) => {
    try {
      channel.ack(message, allUpTo);
    } catch (error) {
      // The channel died: the broker redelivers, and the inbox turns that into a no-op.
      logger.warn({ err: error, messageId: messageIdOf(message) }, 'ack failed; message will be redelivered');
    }
  };

  const settleAfter = async (
    channel: Channel,
    message: ConsumeMessage,
    routingKey: string,
    headers: Record<string, unknown>,
  ) => {
    await broker.publishRaw(
      topology.deadLetterExchange,
      routingKey,
      message.content,
      copyOptions(message, headers),
    );
    ack(channel, message);
  };

  return {
    ack,
    async reject(channel, message, error) {
      const fields = { messageId: messageIdOf(message), reason: error.reason, error: error.message };
      logger.warn(fields, 'invalid message sent to the dead-letter queue');
      try {
        await settleAfter(channel, message, topology.deadLetterKey, {
          [DEAD_LETTER_REASON_HEADER]: error.reason,
          [LAST_ERROR_HEADER]: describe(error),
        });
      } catch (publishError) {
        // The queue's own dead-lettering (at-least-once) reaches the same DLQ, without our headers.
        logger.warn(
          { err: publishError },
          'dead-letter copy failed; rejecting to the queue dead-letter exchange',
        );
        try {
          channel.nack(message, false, false);
        } catch {
          // Channel gone: the message is redelivered and judged again.
        }
      }
    },
    async retry(channel, message, error) {
      const count = retryCount(message);
      const next = topology.retries[count];
      const fields = { err: error, messageId: messageIdOf(message), retries: count };
      try {
        if (next) {
          logger.warn({ ...fields, delayMs: next.delayMs }, 'handler failed; retrying later');
          await settleAfter(channel, message, next.routingKey, {
            [RETRY_COUNT_HEADER]: count + 1,
            [LAST_ERROR_HEADER]: describe(error),
          });
        } else {
          logger.error(fields, 'handler failed on every retry; message dead-lettered');
          await settleAfter(channel, message, topology.deadLetterKey, {
            [DEAD_LETTER_REASON_HEADER]: 'retries_exhausted',
            [LAST_ERROR_HEADER]: describe(error),
          });
        }
      } catch (publishError) {
        logger.warn({ err: publishError }, 'cannot park the failed message; requeueing it');
        await sleep(REQUEUE_DELAY_MS);
        try {
          channel.nack(message, false, true);
        } catch {
          // Channel gone: the broker requeues it by itself.
        }
      }
    },
  };
}
