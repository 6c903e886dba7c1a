import type { Orm } from '@shop/shared';
import { eventually } from '@shop/testkit';

class RolledBack extends Error {}

/**
 * Plays a request that claimed the key and has not committed yet: a transaction holding the
 * key's row, committed with `stored` as the response or rolled back when the test says so.
 */
export function holdKey(orm: Orm, userId: string, key: string, requestHash: string) {
  let claimed!: () => void;
  let finish!: (stored: unknown) => void;
  const claimedPromise = new Promise<void>((resolve) => (claimed = resolve));
  let holder = 0;
  const finished = new Promise<unknown>((resolve) => (finish = resolve));
  const transaction = orm.em
    .fork()
    .transactional(async (em) => {
      await em.execute(
        `insert into idempotency_keys (user_id, key, request_hash, created_at, expires_at) values (?, ?, ?, now(), now() + interval '1 day')`,
        [userId, key, requestHash],
        'run',
      );
      const [backend] = await em.execute<{ pid: number }[]>('select pg_backend_pid() as pid');
      holder = backend?.pid ?? 0;
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
  /** Resolves once another transaction waits for this one: a request is blocked on the key's row. */
  const waitedOn = () =>
    eventually(async () => {
      const [row] = await orm.em
        .fork()
        .execute<{ blocked: number }[]>(
          'select count(*)::int as blocked from pg_stat_activity where ?::int = any(pg_blocking_pids(pid))',
          [holder],
        );
      if (!row?.blocked) throw new Error('no transaction waits for the key yet');
    });
  return {
    claimed: claimedPromise,
    waitedOn,
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
