/**
 * Auth as clients on other machines see it: replicas listening on loopback, and requests from
 * addresses of their own (every 127.x.y.z is this machine), for the suites about per-client limits.
 */
import { testDatabaseName, testKeyPrefix } from '@shop/testkit';
import { listen, send, startAuth } from '../../services/auth/test/harness.ts';

let lastAddress = 10;
/** A loopback address no other request of this file came from: another client. */
export const newAddress = () => {
  lastAddress += 1;
  return `127.0.${Math.floor(lastAddress / 250)}.${(lastAddress % 250) + 2}`;
};

/** Two replicas of one auth with `env` (one database, one Redis namespace), each listening on loopback. */
export async function servedReplicas(env: Record<string, string>) {
  const dbName = testDatabaseName('auth_clients');
  const keyPrefix = testKeyPrefix(`auth-clients:${crypto.randomUUID()}`);
  const started = [await startAuth(env, dbName, keyPrefix), await startAuth(env, dbName, keyPrefix)];
  const servers = await Promise.all(started.map((replica) => listen(replica)));
  return {
    config: started[0]!.config,
    /** A request to replica `i % 2` from address `from`. */
    post: (i: number, from: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
      send(servers[i % 2]!.url, 'POST', path, { from, body, headers }),
    put: (from: string, path: string, body: unknown, headers: Record<string, string>) =>
      send(servers[0]!.url, 'PUT', path, { from, body, headers }),
    close: async () => {
      for (const server of servers) await server.close();
      for (const replica of started) await replica.close();
    },
  };
}
export type ServedAuth = Awaited<ReturnType<typeof servedReplicas>>;

/** How many answers came back with each status. */
export const statusCounts = (answers: Response[]) => {
  const counts: Record<number, number> = {};
  for (const res of answers) counts[res.status] = (counts[res.status] ?? 0) + 1;
  return counts;
};
