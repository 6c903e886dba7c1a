import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface JsonGetter {
  /** GETs `url` and parses its JSON body; rejects on a network error, the deadline or a non-2xx answer. */
  get(url: URL, headers: Record<string, string>): Promise<unknown>;
  close(): void;
}

/**
 * GET over keep-alive connections with node:http, which costs the caller about half the CPU of
 * `fetch` per request (docs/decisions/README.md). The whole request,
 * body included, must finish within `timeoutMs`.
 */
export function createJsonGetter({ timeoutMs }: { timeoutMs: number }): JsonGetter {
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

  const once = (url: URL, headers: Record<string, string>) =>
    new Promise<{ body: unknown } | { retry: true }>((resolve, reject) => {
      const secure = url.protocol === 'https:';
      const send = secure ? httpsRequest : httpRequest;
      const options = {
        agent: secure ? agents.https : agents.http,
        headers,
        signal: AbortSignal.timeout(timeoutMs),
      };
      const request = send(url, options, (response) => {
        readJson(url, response).then((body) => resolve({ body }), reject);
      });
      request.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive connection the server closed just as we reused it: nothing was handled.
        if (request.reusedSocket && error.code === 'ECONNRESET') resolve({ retry: true });
        else reject(error);
      });
      request.end();
    });

  return {
    async get(url, headers) {
      const first = await once(url, headers);
      if ('body' in first) return first.body;
      const second = await once(url, headers);
      if ('body' in second) return second.body;
      throw new Error(`GET ${url.pathname}: connection reset twice`);
    },
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

function readJson(url: URL, response: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      response.resume();
      reject(new Error(`GET ${url.pathname} answered ${status}`));
      return;
    }
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('error', reject);
    response.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    // Cut short (deadline, dropped connection) without an 'error' on the response itself.
    response.on('close', () => {
      if (!response.complete) reject(new Error(`GET ${url.pathname}: the answer was cut short`));
    });
  });
}
