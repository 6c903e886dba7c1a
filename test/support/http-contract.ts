import { expect } from 'vitest';

/**
 * Error statuses the contract names (docs/architecture.md), plus 415 for a body that is not JSON:
 * the services chose it on purpose (services/auth/test/register.int.test.ts, shared http-app test).
 */
export const contractErrorStatuses = [400, 401, 403, 404, 409, 413, 415, 422, 429, 503];

// Stack frames, source paths and runtime internals: none may ever reach a client.
const leaks = [
  /\n\s+at [^\n]+:\d+:\d+/,
  /node_modules/,
  /\/work\//,
  /\.ts:\d+/,
  /file:\/\//,
  /(Type|Reference|Range|Syntax)Error:/,
  /DriverException|ValidationError:|MikroORM|pg_|SQLSTATE|violates/i,
];

export interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
}

/** What a failure message shows of a request. */
export const show = (sent: Sent) =>
  `${sent.method} ${sent.url} ${JSON.stringify(sent.headers)} ${typeof sent.body === 'string' ? sent.body.slice(0, 300) : sent.body ? `<${sent.body.length} bytes>` : ''}`;

/**
 * The contract for any answer: never a 5xx (every dependency is up), never a stack trace or
 * internals in the body, and every error is exactly `{"error":{"code","message","details?"}}`
 * as JSON with a status the contract names.
 */
export async function expectContractAnswer(res: Response, sent: Sent): Promise<void> {
  const text = await res.text();
  const where = `${show(sent)}\n-> ${res.status} ${text.slice(0, 500)}`;
  expect(res.status, where).toBeLessThan(500);
  // A success body is data (a product may well be named "TypeError:"); errors are ours alone.
  if (res.status < 400) return;
  // HEAD answers carry the GET's headers but never a body.
  if (sent.method === 'HEAD') return;
  for (const leak of leaks) expect(text, where).not.toMatch(leak);
  expect(contractErrorStatuses, where).toContain(res.status);
  expect(res.headers.get('Content-Type'), where).toMatch(/^application\/json/);
  const body = JSON.parse(text) as { error?: Record<string, unknown> };
  expect(Object.keys(body), where).toEqual(['error']);
  const { code, message, details, ...rest } = body.error ?? {};
  expect(rest, where).toEqual({});
  expect(code, where).toMatch(/^[a-z]+(_[a-z0-9]+)*$/);
  expect(
    typeof message === 'string' && message.trim().length > 0,
    `${where}\nmessage must be a sentence`,
  ).toBe(true);
  if (details !== undefined) expect(details, where).not.toBeNull();
}

/** Sends `sent` to `app` and checks the answer against the contract; returns the status. */
export async function sendAndCheck(
  app: { request(path: string, init?: RequestInit): Response | Promise<Response> },
  sent: Sent,
): Promise<number> {
  const res = await app.request(sent.url, {
    method: sent.method,
    headers: sent.headers,
    ...(sent.body === undefined ? {} : { body: sent.body }),
  });
  await expectContractAnswer(res, sent);
  return res.status;
}
