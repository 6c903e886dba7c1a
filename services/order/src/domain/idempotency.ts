import { createHash } from 'node:crypto';
import type { QueryResult } from '@mikro-orm/core';
import type { ServiceEntityManager } from '@shop/shared';
import { AppError, conflict } from '@shop/shared';
import { IdempotencyKey } from '../db/entities.ts';
import type { RequestedItem } from './pricing.ts';

/** A response kept under an Idempotency-Key and sent again, byte for byte, on a retry. */
export interface StoredResponse {
  status: 201;
  body: unknown;
}

/**
 * SHA-256 of the request in a canonical form: items sorted by product, so a retry that lists
 * the same items in another order counts as the same request.
 */
export function hashRequest(items: readonly RequestedItem[]): string {
  const canonical = items
    .toSorted((a, b) => a.productId - b.productId)
    .map((item) => [item.productId, item.quantity]);
  return createHash('sha256')
    .update(JSON.stringify({ items: canonical }))
    .digest('hex');
}

/**
 * The response stored under the user's key, or undefined when the key is unused or expired.
 * Throws 422 when the key was used for another request body.
 */
export async function findStoredResponse(
  em: ServiceEntityManager,
  userId: string,
  key: string,
  requestHash: string,
): Promise<StoredResponse | undefined> {
  const row = await em.findOne(IdempotencyKey, { userId, key, expiresAt: { $gt: new Date() } });
  if (!row) return undefined;
  if (row.requestHash !== requestHash) {
    throw new AppError(
      422,
      'idempotency_key_reused',
      'This Idempotency-Key was already used with another request body',
    );
  }
  // The claiming transaction fills the response in before it commits; this is a safety net only.
  if (row.responseStatus !== 201)
    throw conflict('idempotency_key_in_use', 'A request with this Idempotency-Key is still running');
  return { status: 201, body: row.responseBody };
}

/**
 * Claims the user's key inside the order transaction. A concurrent request with the same key
 * blocks on the primary key until this transaction ends, then gets `false` (and replays what
 * this one stored) or, if this one rolled back, claims the key itself. The primary key decides,
 * never an earlier read.
 */
export async function claimKey(
  em: ServiceEntityManager,
  claim: { userId: string; key: string; requestHash: string; expiresAt: Date },
): Promise<boolean> {
  // An expired key is free to be used again.
  await em.execute(
    'delete from idempotency_keys where user_id = ? and key = ? and expires_at <= now()',
    [claim.userId, claim.key],
    'run',
  );
  const inserted = await em.execute<QueryResult>(
    `insert into idempotency_keys (user_id, key, request_hash, created_at, expires_at)
     values (?, ?, ?, now(), ?) on conflict do nothing`,
    [claim.userId, claim.key, claim.requestHash, claim.expiresAt],
    'run',
  );
  return inserted.affectedRows === 1;
}

/** Stores the response of a claimed key, in the same transaction that claimed it. */
export async function storeResponse(
  em: ServiceEntityManager,
  userId: string,
  key: string,
  response: StoredResponse,
): Promise<void> {
  await em.execute(
    'update idempotency_keys set response_status = ?, response_body = ? where user_id = ? and key = ?',
    [response.status, JSON.stringify(response.body), userId, key],
    'run',
  );
}

/** Deletes expired keys; run now and then so the table holds about one TTL of keys. */
export async function purgeExpiredKeys(em: ServiceEntityManager): Promise<number> {
  const result = await em.execute<QueryResult>(
    'delete from idempotency_keys where expires_at <= now()',
    [],
    'run',
  );
  return result.affectedRows;
}
