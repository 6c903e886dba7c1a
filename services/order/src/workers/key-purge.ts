import { startPeriodicTask, type Orm, type ServiceKit } from '@shop/shared';
import { purgeExpiredKeys } from '../store/idempotency-keys.ts';

const KEY_PURGE_INTERVAL_MS = 60 * 60_000;

/** Deletes expired Idempotency-Keys every hour, so the table holds about one TTL of keys. */
export function startKeyPurge(kit: ServiceKit, { orm }: { orm: Orm }): void {
  startPeriodicTask(kit, {
    name: 'idempotency key purge',
    intervalMs: KEY_PURGE_INTERVAL_MS,
    run: () => purgeExpiredKeys(orm.em.fork()),
  });
}
