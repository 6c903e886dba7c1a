import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './env.ts';

/** One dependency the service needs; `critical: false` reports degraded but keeps /ready at 200. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<unknown>;
  critical?: boolean;
}

const CHECK_TIMEOUT_MS = 2_000;

/** Resolves to 'ok' or to the reason the dependency failed. */
async function runCheck({ check }: ReadinessCheck): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}

/** `GET /health` (the process answers) and `GET /ready` (its dependencies answer, 503 naming the failing one). */
export function mountHealth(app: OpenAPIHono<AppEnv>, checks: readonly ReadinessCheck[]): void {
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/ready', async (c) => {
    const results = await Promise.all(checks.map(async (check) => [check, await runCheck(check)] as const));
    const report = Object.fromEntries(results.map(([check, result]) => [check.name, result]));
    const failing = results.filter(([check, result]) => result !== 'ok' && check.critical !== false);
    if (failing.length > 0) {
      const names = failing.map(([check]) => check.name).join(', ');
      return c.json({ error: { code: 'not_ready', message: `Unavailable: ${names}`, details: report } }, 503);
    }
    const degraded = results.some(([, result]) => result !== 'ok');
    return c.json({ status: degraded ? 'degraded' : 'ok', checks: report });
  });
}
