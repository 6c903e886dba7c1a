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

/**
 * Stores `envelope` in the outbox of `em`'s open transaction, so it commits (or rolls back) with
 * the state change it announces, and queues a NOTIFY that PostgreSQL delivers only on commit,
 * waking the relay at once. Call it inside `em.transactional(...)`; it throws otherwise, because
 * without a transaction nothing ties the event to the state change.
 */
export async function addToOutbox(em: ServiceEntityManager, envelope: EventEnvelope): Promise<void> {
  if (!em.isInTransaction()) {
    throw new Error(
      'addToOutbox must be called inside em.transactional(...) with its transactional EntityManager',
    );
  }
  em.persist(
    em.create(OutboxMessage, {
      id: envelope.id,
      type: envelope.type,
      routingKey: routingKeyOf(envelope.type),
      payload: envelope,
      occurredAt: new Date(envelope.occurredAt),
      publishedAt: null,
      attempts: 0,
      lastError: null,
    }),
  );
  await em.execute(`select pg_notify('${OUTBOX_CHANNEL}', '')`, [], 'run');
}
