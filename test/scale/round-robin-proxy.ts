/**
 * The simplest load balancer there is: every request goes to the next upstream in turn, with no
 * stickiness of any kind (no cookies, no hashing on the client or the chat). If the bot works
 * behind this, it works behind any balancer.
 */
import { createServer, request, type Server } from 'node:http';

export interface RoundRobinProxy {
  url: string;
  /** Requests forwarded to each upstream port, by port. */
  served: Map<number, number>;
  /** The upstream port of every forwarded request, in arrival order. */
  order: number[];
  /** The status of every answer, upstream failures as 502. */
  statuses: number[];
  close(): Promise<void>;
}

export async function startRoundRobinProxy(upstreamPorts: readonly number[]): Promise<RoundRobinProxy> {
  const served = new Map(upstreamPorts.map((port) => [port, 0]));
  const order: number[] = [];
  const statuses: number[] = [];
  let turn = 0;
  const server: Server = createServer((incoming, outgoing) => {
    const port = upstreamPorts[turn++ % upstreamPorts.length]!;
    served.set(port, (served.get(port) ?? 0) + 1);
    order.push(port);
    const upstream = request(
      { host: '127.0.0.1', port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        statuses.push(answer.statusCode ?? 502);
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', (error) => {
      statuses.push(502);
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end(String(error));
    });
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('proxy has no address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    served,
    order,
    statuses,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
