import type { QueryResult } from '@mikro-orm/core';
import type { Channel, ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import type { Orm } from '../db/index.ts';
import type { EventOf, EventType } from './contracts.ts';
import type { DeadLetterer } from './dead-letter.ts';
import type { BatchEventHandler, EventHandler } from './inbox.ts';

/** A parsed delivery and the channel it must be settled on. */
export interface Delivery<T extends EventType> {
  from: Channel;
  message: ConsumeMessage;
  event: EventOf<T>;
}

export interface InboxApplier<T extends EventType> {
  /** One message in its own transaction; acked after commit, or sent on to be retried. */
  applyOne(delivery: Delivery<T>): Promise<void>;
  /**
   * Several messages in one transaction: one inbox insert for all of them, the handler for each
   * new one, one commit, then the acks. Any error rolls all of it back and the messages are
   * applied one by one instead, each with its own retries.
   */
  applyBatch(deliveries: Delivery<T>[]): Promise<void>;
}

interface ApplierOptions<T extends EventType> {
  orm: Orm;
  /** The inbox key: the consumer's name. */
  name: string;
  handler: EventHandler<T>;
  batchHandler?: BatchEventHandler<T> | undefined;
  deadLetterer: DeadLetterer;
  log: Logger;
}

/**
 * Applies events exactly once in effect: the (consumer, message id) row goes into `inbox` in the
 * same transaction as the handler's effect, so a redelivered id skips the handler; the broker
 * hears the ack only after the commit.
 */
export function createInboxApplier<T extends EventType>(options: ApplierOptions<T>): InboxApplier<T> {
  const { orm, name, handler, batchHandler, deadLetterer, log } = options;
  const skippedDuplicate = (event: EventOf<T>) =>
    log.debug({ eventId: event.id, type: event.type }, 'duplicate message skipped');

  const applyOne = async ({ from, message, event }: Delivery<T>) => {
    try {
      const duplicate = await orm.em.fork().transactional(async (em) => {
        const inserted = await em.execute<QueryResult>(
          'insert into inbox (consumer, message_id) values (?, ?) on conflict do nothing',
          [name, event.id],
          'run',
        );
        if (inserted.affectedRows === 0) return true;
        await handler(em, event);
        return false;
      });
      if (duplicate) skippedDuplicate(event);
      deadLetterer.ack(from, message);
    } catch (error) {
      await deadLetterer.retry(from, message, error);
    }
  };

  /**
   * Acks a committed batch. Batches are applied in delivery order and everything delivered before
   * them is settled already, so one ack of a channel's last delivery covers the rest of them.
   */
  const ackAll = (deliveries: Delivery<T>[]) => {
    const last = new Map<Channel, ConsumeMessage>();
    for (const { from, message } of deliveries) last.set(from, message);
    for (const [from, message] of last) deadLetterer.ack(from, message, true);
  };

  const applyBatch = async (deliveries: Delivery<T>[]) => {
    try {
      await orm.em.fork().transactional(async (em) => {
        const rows = await em.execute<{ message_id: string }[]>(
          `insert into inbox (consumer, message_id) values ${deliveries.map(() => '(?, ?)').join(', ')}
           on conflict do nothing returning message_id`,
          deliveries.flatMap(({ event }) => [name, event.id]),
        );
        // A message published twice (the relay's at-least-once) can sit in one batch twice: the
        // insert returns its id once, and only its first copy runs.
        const fresh = new Set(rows.map((row) => row.message_id));
        const events: EventOf<T>[] = [];
        for (const { event } of deliveries) {
          if (fresh.delete(event.id)) events.push(event);
          else skippedDuplicate(event);
        }
        if (events.length === 0) return;
        if (batchHandler) return batchHandler(em, events);
        for (const event of events) {
          await handler(em, event);
          // The next handler may load what this one changed: let it read the changes, not the
          // rows as they were.
          await em.flush();
        }
      });
    } catch (error) {
      log.warn({ err: error, messages: deliveries.length }, 'batch failed; applying its messages one by one');
      for (const delivery of deliveries) await applyOne(delivery);
      return;
    }
    ackAll(deliveries);
  };

  return { applyOne, applyBatch };
}
