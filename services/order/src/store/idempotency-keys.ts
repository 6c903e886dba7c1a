import type { QueryResult } from '@mikro-orm/core';
import type { ServiceEntityManager } from '@shop/shared';
import { AppError, conflict } from '@shop/shared';
import { IdempotencyKey } from '../db/entities.ts';

/** A response kept under an Idempotency-Key and sent again, byte for byte, on a retry. */
export interface StoredResponse {
  status: 201;
  body: unknown;
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
  // A key is written together with its response; this is a safety net only.
  if (row.responseStatus !== 201)
    throw conflict('idempotency_key_in_use', 'A request with this Idempotency-Key is still running');
  return { status: 201, body: row.responseBody };
}

/** A key this request wants to hold, and until when. */
export interface KeyClaim {
  key: string;
  requestHash: string;
  expiresAt: Date;
}

/**
 * Claims the keys of the orders `ready` to be placed (see insert-order.ts) WITH their responses, as part
 * of the statement that writes the orders, so a key is never visible without its response. A
 * concurrent request with the same key blocks on the primary key until that statement's
 * transaction ends, then claims nothing (and replays what the other stored) or, if the other
 * rolled back, claims the key itself. An expired key is taken over. The primary key decides,
 * never an earlier read. Returns the claimed (user_id, key) pairs.
 */
export const CLAIM_KEYS = `
  insert into idempotency_keys as held
    (user_id, key, request_hash, response_status, response_body, created_at, expires_at)
  select user_id, key, request_hash, response_status, response_body::json, now(), expires_at
  from ready where key is not null
  on conflict (user_id, key) do update set request_hash = excluded.request_hash,
    response_status = excluded.response_status, response_body = excluded.response_body,
    created_at = excluded.created_at, expires_at = excluded.expires_at
  where held.expires_at <= now()
  returning user_id, key`;

/** Deletes expired keys; run now and then so the table holds about one TTL of keys. */
export async function purgeExpiredKeys(em: ServiceEntityManager): Promise<number> {
  const result = await em.execute<QueryResult>(
    'delete from idempotency_keys where expires_at <= now()',
    [],
    'run',
  );
  return result.affectedRows;
}
