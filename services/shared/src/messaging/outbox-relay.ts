import type { QueryResult } from '@mikro-orm/core';
import type { Logger } from 'pino';
import type { Orm } from '../db/index.ts';
import type { Broker } from './broker.ts';
import type { EventEnvelope } from './contracts.ts';
import { listenForNotifications } from './pg-listener.ts';
import { OUTBOX_CHANNEL } from './outbox.ts';

export interface OutboxRelayOptions {
  orm: Orm;
  broker: Broker;
  logger: Logger;
  /** Rows taken, published and marked per transaction (default 250). */
  batchSize?: number;
  /** Batches in flight at once while a backlog drains, each its own transaction (default 4). */
  concurrency?: number;
  /**
   * Once batches find `busyBatch` rows or more (a backlog is forming), the next starts at most
   * this long after the previous one (default 10 ms), so the rows committed meanwhile share one
   * transaction and one round of confirms. Smaller batches (a steady trickle, where every event
   * has someone waiting on it) go out at once.
   */
  batchWindowMs?: number;
  /** How many rows a batch must find for the next one to wait out `batchWindowMs` (default 8). */
  busyBatch?: number;
  /** Polling fallback when no NOTIFY arrives (default 1 s). */
  pollIntervalMs?: number;
  /** Published rows are deleted after this (default 24 h). */
  retentionMs?: number;
  /** How often old rows are deleted (default 60 s). */
  cleanupIntervalMs?: number;
  /** Longest wait between tries while the broker fails (default 5 s). */
  maxBackoffMs?: number;
  /** Database to LISTEN on; the ORM's own `clientUrl` by default. */
  listenUrl?: string;
}

export interface OutboxRelay {
  start(): void;
  /**
   * Rows were just committed by this process: look now. Cheaper than a NOTIFY, which costs
   * PostgreSQL a transaction in the listening session and this process a read, per commit.
   */
  wake(): void;
  /** Stops polling and listening; resolves after the batch in flight has committed. */
  stop(): Promise<void>;
}

interface BatchResult {
  taken: number;
  failed: number;
}

const FIRST_BACKOFF_MS = 100;

/**
 * Publishes the outbox to the broker. Wakes on NOTIFY (see `addToOutbox`) or every
 * `pollIntervalMs`; each batch is one transaction that locks up to `batchSize` pending rows with
 * `FOR UPDATE SKIP LOCKED` (so several relays share the work, each row handled by one of them),
 * publishes them all before awaiting the confirms, marks the confirmed ones published and commits.
 * A full batch means a backlog: then `concurrency` batches run side by side, so the next rows are
 * read and published while earlier ones wait for their confirms (order across batches is not
 * kept; consumers already take events out of order, as with several relays).
 * A row whose publish failed stays pending with `attempts` and `last_error` updated; while the
 * broker is down nothing is touched and the relay backs off exponentially up to `maxBackoffMs`.
 * Delivery is at least once: a crash between confirm and commit publishes that batch again.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { orm, broker, batchSize = 250, concurrency = 4, pollIntervalMs = 1_000 } = options;
  const { maxBackoffMs = 5_000, batchWindowMs = 10, busyBatch = 8 } = options;
  const { retentionMs = 24 * 3_600_000, cleanupIntervalMs = 60_000 } = options;
  const log = options.logger.child({ component: 'outbox-relay' });
  const listenUrl = options.listenUrl ?? orm.config.get('clientUrl');
  if (!listenUrl) throw new Error('createOutboxRelay needs listenUrl when the ORM has no clientUrl');

  let running = false;
  let loop: Promise<void> | undefined;
  let stopListening: (() => Promise<void>) | undefined;
  let woken = false;
  let wake: (() => void) | undefined;
  let lastCleanup = 0;

  const notified = () => {
    woken = true;
    wake?.();
  };

  /** Waits `ms`, or less when notified (unless backing off) or stopped. */
  const pause = (ms: number, interruptible: boolean) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = () => {
        if (interruptible || !running) done();
      };
      if (!running || (interruptible && woken)) done();
    });

  const relayBatch = (): Promise<BatchResult> =>
    orm.em.fork().transactional(async (em) => {
      const rows = await em.execute<{ id: string; payload: EventEnvelope }[]>(
        `select id, payload from outbox where published_at is null
         order by occurred_at limit ? for update skip locked`,
        [batchSize],
      );
      if (rows.length === 0) return { taken: 0, failed: 0 };
      // All in flight at once: one round of confirms per batch instead of one per message.
      const results = await Promise.allSettled(rows.map((row) => broker.publish(row.payload)));
      const published = rows
        .filter((_, index) => results[index]?.status === 'fulfilled')
        .map((row) => row.id);
      const errors = new Map<string, string[]>();
      results.forEach((result, index) => {
        if (result.status === 'fulfilled') return;
        const message = result.reason instanceof Error ? result.reason.message : String(result.reason);
        errors.set(message, [...(errors.get(message) ?? []), rows[index]?.id ?? '']);
      });
      if (published.length > 0) {
        await em.execute('update outbox set published_at = now() where id in (?)', [published], 'run');
      }
      for (const [message, ids] of errors) {
        log.warn({ error: message, count: ids.length }, 'outbox events not published, will retry');
        await em.execute(
          'update outbox set attempts = attempts + 1, last_error = ? where id in (?)',
          [message.slice(0, 1_000), ids],
          'run',
        );
      }
      return { taken: rows.length, failed: rows.length - published.length };
    });

  /** Batches back to back while they come back full and nothing fails; several of these run at once. */
  const drainWorker = async (): Promise<BatchResult> => {
    let taken = 0;
    for (;;) {
      const result = await relayBatch();
      taken += result.taken;
      if (!running || result.failed > 0 || result.taken < batchSize) return { taken, failed: result.failed };
    }
  };

  const drain = async (): Promise<BatchResult> => {
    const results = await Promise.all(Array.from({ length: concurrency }, drainWorker));
    return results.reduce((sum, result) => ({
      taken: sum.taken + result.taken,
      failed: sum.failed + result.failed,
    }));
  };

  const cleanup = async () => {
    if (Date.now() - lastCleanup < cleanupIntervalMs) return;
    lastCleanup = Date.now();
    const result = await orm.em.fork().execute<QueryResult>(
      `delete from outbox where id in (select id from outbox
       where published_at < now() - ? * interval '1 millisecond' limit 10000)`,
      [retentionMs],
      'run',
    );
    if (result.affectedRows > 0) log.debug({ deleted: result.affectedRows }, 'deleted published outbox rows');
  };

  const run = async () => {
    let backoff = 0;
    let lastBatchAt = -Infinity;
    let lastTaken = 0;
    while (running) {
      const sinceLast = performance.now() - lastBatchAt;
      if (lastTaken >= busyBatch && sinceLast < batchWindowMs) await pause(batchWindowMs - sinceLast, false);
      lastBatchAt = performance.now();
      woken = false;
      try {
        // While disconnected, leave the rows alone rather than lock and mark them failed.
        let result = broker.isConnected() ? await relayBatch() : { taken: 0, failed: 1 };
        lastTaken = result.taken;
        if (result.failed === 0 && result.taken === batchSize) result = await drain();
        backoff = result.failed > 0 ? Math.min(Math.max(backoff * 2, FIRST_BACKOFF_MS), maxBackoffMs) : 0;
        await cleanup();
        // After a drain, look once more: rows added meanwhile may have missed every worker.
        if (backoff === 0 && result.taken >= batchSize) continue;
      } catch (error) {
        backoff = Math.min(Math.max(backoff * 2, FIRST_BACKOFF_MS), maxBackoffMs);
        log.error({ err: error }, 'outbox relay batch failed');
      }
      await pause(backoff || pollIntervalMs, backoff === 0);
    }
  };

  return {
    start() {
      if (running) return;
      running = true;
      stopListening = listenForNotifications({
        url: listenUrl,
        channel: OUTBOX_CHANNEL,
        logger: log,
        onNotify: notified,
      });
      loop = run();
    },
    wake: notified,
    async stop() {
      if (!running) return;
      running = false;
      wake?.();
      await Promise.all([loop, stopListening?.()]);
    },
  };
}
