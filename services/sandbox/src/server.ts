import { startServer } from '@shop/shared';
import { createSandbox, type Sandbox, type SandboxOptions } from './app.ts';

export interface StartSandboxOptions extends SandboxOptions {
  /** 0 picks a free port. Default 0. */
  port?: number;
  /** Default 127.0.0.1: the sandbox plays every user, so only this machine may reach it. */
  hostname?: string;
  /** How long close() waits for requests in flight. Default 5000. */
  shutdownTimeoutMs?: number;
}

export interface RunningSandbox {
  /** `http://127.0.0.1:<port>`: the Bot API root (TELEGRAM_API_ROOT) and the web chat. */
  url: string;
  port: number;
  app: Sandbox['app'];
  world: Sandbox['world'];
  /** Ends held getUpdates calls and event streams, then stops the server. */
  close: (reason?: string) => Promise<void>;
}

/** Starts a sandbox listening on a port, in this process (tests, `main.ts`). */
export async function startSandbox(options: StartSandboxOptions): Promise<RunningSandbox> {
  const sandbox = createSandbox(options);
  const logger = sandbox.logger;
  const server = await startServer({
    fetch: sandbox.app.fetch,
    port: options.port ?? 0,
    hostname: options.hostname ?? '127.0.0.1',
    logger,
    closers: [],
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? 5_000,
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    port: server.port,
    app: sandbox.app,
    world: sandbox.world,
    close: async (reason = 'closed') => {
      sandbox.close();
      await server.shutdown(reason);
    },
  };
}
