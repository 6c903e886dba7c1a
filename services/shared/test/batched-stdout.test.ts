import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { batchLines } from '../src/logger/batched-stdout.ts';

/** Resolves after the callbacks already queued for the end of this event-loop turn. */
const turnEnds = () => new Promise((resolve) => setImmediate(resolve));

const service = fileURLToPath(new URL('support/logging-service.ts', import.meta.url));

/** Runs the test service as its own process, its stdout a pipe as a log collector's would be. */
function startService(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--conditions=source', service], {
    env: { ...process.env, LOG_LEVEL: 'info', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Record<string, unknown>[] = [];
  let onLine = () => {};
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(JSON.parse(line) as Record<string, unknown>);
    onLine();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = new Promise<number>((resolve) => {
    onLine = () => {
      const port = lines.find(
        (line) => line.msg === 'listening on http://localhost:' + String(line.port),
      )?.port;
      if (typeof port === 'number') resolve(port);
    };
  });
  return { child, lines, exited, listening };
}

describe('log lines batched per event-loop turn', () => {
  it('leave together, in the order written, when the turn ends', async () => {
    const writes: string[] = [];
    const out = batchLines({ write: (chunk) => void writes.push(chunk) });

    out.write('one\n');
    out.write('two\n');
    out.write('three\n');
    const duringTheTurn = [...writes];
    await turnEnds();
    out.write('four\n');
    await turnEnds();

    expect(duringTheTurn).toEqual([]);
    expect(writes).toEqual(['one\ntwo\nthree\n', 'four\n']);
  });

  it('make one write for everything a pino logger said in a turn', async () => {
    const writes: string[] = [];
    const logger = pino({ name: 'catalog' }, batchLines({ write: (chunk) => void writes.push(chunk) }));

    for (let i = 1; i <= 50; i++) logger.info({ i }, 'request');
    await turnEnds();

    expect(writes).toHaveLength(1);
    const lines = writes[0]!.trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { i: number }).i)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
  });

  it('are handed on at once by a flush, and flushSync flushes the sink as well', () => {
    const writes: string[] = [];
    let sinkFlushed = 0;
    const out = batchLines({
      write: (chunk) => void writes.push(chunk),
      flushSync: () => {
        sinkFlushed += 1;
      },
    });

    out.write('a\n');
    let done = false;
    out.flush(() => (done = true));
    out.write('b\n');
    out.flushSync();

    expect([writes, done, sinkFlushed]).toEqual([['a\n', 'b\n'], true, 1]);
  });
});

describe("a service's stdout", () => {
  it(
    'keeps every line written just before the service shuts down, in order',
    { timeout: 30_000 },
    async () => {
      const lastWords = 500;
      const run = startService({ LAST_WORDS: String(lastWords) });
      const port = await run.listening;

      const answer = await fetch(`http://127.0.0.1:${port}/hello`, {
        headers: { 'X-Request-Id': 'last-one' },
      });
      expect(await answer.text()).toBe('hello');
      run.child.kill('SIGTERM');

      expect(await run.exited).toBe(0);
      const said = run.lines.map((line) =>
        line.msg === 'closing' ? `closing ${String(line.line)}` : line.msg,
      );
      expect(run.lines).toContainEqual(
        expect.objectContaining({ reqId: 'last-one', path: '/hello', status: 200, msg: 'request' }),
      );
      expect(said.slice(said.indexOf('shutting down'))).toEqual([
        'shutting down',
        ...Array.from({ length: lastWords }, (_, i) => `closing ${i + 1}`),
        'stopped',
      ]);
    },
  );
});
