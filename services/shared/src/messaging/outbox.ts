import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { Orm } from '../db/index.ts';
import { routingKeyOf, type EventEnvelope } from './contracts.ts';

/** A (possibly transactional) EntityManager of a service's ORM. */
export type ServiceEntityManager = Orm['em'];

/** The PostgreSQL channel the relay LISTENs on; one per database, so one per service. */
export const OUTBOX_CHANNEL = 'outbox';

/**
 * An event waiting to be published (`published_at` null) or kept for `retentionMs` after.
 * The partial index keeps the relay's "oldest pending" lookup cheap however many published
 * rows are retained.
 */
export const OutboxMessage = defineEntity({
  name: 'OutboxMessage',
  tableName: 'outbox',
  properties: {
    /** The event id, so an event can be stored only once. */
    id: p.uuid().primary(),
    type: p.string().length(100),
    routingKey: p.string().length(255),
    /** The whole envelope, published as is. */
    payload: p.json<EventEnvelope>(),
    occurredAt: p.datetime(),
    publishedAt: p.datetime().nullable(),
    attempts: p.integer().default(0),
    lastError: p.text().nullable(),
  },
  indexes: [
    { name: 'outbox_pending_idx', properties: ['occurredAt'], where: { publishedAt: null } },
    { name: 'outbox_published_at_idx', properties: ['publishedAt'] },
  ],
});
export type OutboxMessage = InferEntity<typeof OutboxMessage>;

/** The outbox columns a new event fills, in the order `outboxValues` lists their values. */
export const OUTBOX_COLUMNS = 'id, type, routing_key, payload, occurred_at';

/** `envelope`'s row in the order of `OUTBOX_COLUMNS`: the payload as JSON text, for a `?` placeholder. */
export function outboxValues(envelope: EventEnvelope): unknown[] {
  return [
    envelope.id,
    envelope.type,
    routingKeyOf(envelope.type),
    JSON.stringify(envelope),
    new Date(envelope.occurredAt),
  ];
}

/** Wakes the relays LISTENing on this database; PostgreSQL delivers it only on commit. */
const OUTBOX_NOTIFY = `pg_notify('${OUTBOX_CHANNEL}', '')`;

/**
 * Stores the envelopes in the outbox of `em`'s open transaction, so they commit (or roll back)
 * with the state change they announce, and queues a NOTIFY that PostgreSQL delivers only on
 * commit, waking the relay at once. Call it inside `em.transactional(...)`; it throws otherwise,
 * because without a transaction nothing ties the events to the state change. One statement for
 * all of them, sent at once (not left to the next flush); none is a no-op.
 */
export async function addToOutbox(em: ServiceEntityManager, ...envelopes: EventEnvelope[]): Promise<void> {
  if (!em.isInTransaction()) {
    throw new Error(
      'addToOutbox must be called inside em.transactional(...) with its transactional EntityManager',
    );
  }
  if (envelopes.length === 0) return;
  const rows = envelopes.map(() => '(?, ?, ?, ?, ?)').join(', ');
  await em.execute(
    `with event as (insert into outbox (${OUTBOX_COLUMNS}) values ${rows}) select ${OUTBOX_NOTIFY}`,
    envelopes.flatMap(outboxValues),
    'run',
  );
}
