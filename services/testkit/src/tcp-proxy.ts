import { connect, createServer, type Server, type Socket } from 'node:net';

/** A TCP proxy a test can slow down, cut off and bring back on the same port. */
export interface TcpProxy {
  /** The target URL with the proxy's host and port (scheme, credentials and path kept). */
  readonly url: string;
  /** Delays every chunk in both directions by `ms`. */
  setDelay(ms: number): void;
  /** Cuts every open connection but keeps listening: the peer sees a network blip. */
  dropConnections(): void;
  /**
   * On: every connection, open or new, goes silent: what either side sends is taken and never
   * passed on, and nothing is closed (a server, or a middlebox on the way, that died without a
   * word). Off: new connections work again; those that went silent stay silent.
   */
  setBlackhole(on: boolean): void;
  /** How many chunks silent connections have swallowed so far. */
  swallowed(): number;
  /** Cuts every connection and stops listening: the server is "down". */
  stop(): Promise<void>;
  /** Listens again on the same port: the server is "back". */
  start(): Promise<void>;
}

/**
 * An outage the service under test can't tell from the real thing, without stopping the
 * PostgreSQL, Redis or RabbitMQ that other suites share.
 */
export async function createTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const targetPort =
    Number(target.port) ||
    ({ 'redis:': 6379, 'amqp:': 5672, 'postgres:': 5432 } as Record<string, number>)[target.protocol];
  const sockets = new Set<Socket>();
  const silent = new WeakSet<Socket>();
  let blackhole = false;
  let swallowed = 0;
  let delayMs = 0;
  let server: Server | undefined;
  let port = 0;

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const pipe = (from: Socket, to: Socket) =>
    from.on('data', (chunk) => {
      if (silent.has(from)) {
        swallowed += 1;
        return;
      }
      // Same delay for every chunk: timers fire in order, so the byte stream stays intact.
      if (delayMs === 0) to.write(chunk);
      else setTimeout(() => to.write(chunk), delayMs);
    });
  const dropConnections = () => {
    for (const socket of sockets) socket.destroy();
  };

  const start = () =>
    new Promise<void>((resolve) => {
      const current = createServer((client) => {
        track(client);
        if (blackhole) {
          silent.add(client);
          client.on('data', () => (swallowed += 1));
          return;
        }
        const upstream = connect(targetPort ?? 0, target.hostname);
        track(upstream);
        pipe(client, upstream);
        pipe(upstream, client);
        client.on('close', () => upstream.destroy());
        // A silent connection's client hears nothing, not even the server going away.
        upstream.on('close', () => {
          if (!silent.has(client)) client.destroy();
        });
      });
      current.listen(port, '127.0.0.1', () => {
        const address = current.address();
        if (address && typeof address === 'object') port = address.port;
        server = current;
        resolve();
      });
    });

  await start();
  return {
    get url() {
      const url = new URL(targetUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString().replace(/\/$/, '');
    },
    setDelay(ms) {
      delayMs = ms;
    },
    dropConnections,
    setBlackhole(on) {
      blackhole = on;
      if (on) for (const socket of sockets) silent.add(socket);
    },
    swallowed: () => swallowed,
    async stop() {
      const current = server;
      server = undefined;
      dropConnections();
      if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
    },
    start,
  };
}
