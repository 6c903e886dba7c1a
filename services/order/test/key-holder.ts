import type { Orm } from '@shop/shared';

class RolledBack extends Error {}

/**
 * Plays a request that claimed the key and has not committed yet: a transaction holding the
 * key's row, committed with `stored` as the response or rolled back when the test says so.
 */
export function holdKey(orm: Orm, userId: string, key: string, requestHash: string) {
  let claimed!: () => void;
  let finish!: (stored: unknown) => void;
  const claimedPromise = new Promise<void>((resolve) => (claimed = resolve));
  const finished = new Promise<unknown>((resolve) => (finish = resolve));
  const transaction = orm.em
    .fork()
    .transactional(async (em) => {
      await em.execute(
        `insert into idempotency_keys (user_id, key, request_hash, created_at, expires_at) values (?, ?, ?, now(), now() + interval '1 day')`,
        [userId, key, requestHash],
        'run',
      );
      claimed();
      const stored = await finished;
      if (stored === undefined) throw new RolledBack();
      await em.execute(
        'update idempotency_keys set response_status = 201, response_body = ? where user_id = ? and key = ?',
        [JSON.stringify(stored), userId, key],
        'run',
      );
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  return {
    claimed: claimedPromise,
    commit: async (stored: unknown) => {
      finish(stored);
      await transaction;
    },
    rollback: async () => {
      finish(undefined);
      await transaction;
    },
  };
}
