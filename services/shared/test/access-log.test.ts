import { pino, type Logger } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { logRequest, type AccessFields } from '../src/http/access-log.ts';
import { createLogger } from '../src/logger/index.ts';

/** A logger as a service gets it (JSON lines, redaction), writing into `written`. */
function serviceLogger(level = 'info') {
  const written: string[] = [];
  const logger = createLogger({
    service: 'catalog',
    level,
    format: 'json',
    destination: () => ({ write: (line: string) => void written.push(line) }),
  });
  return { logger, written };
}

/** The access line `logRequest` writes, and the one pino writes for the same request and time. */
function bothLines(log: Logger, written: string[], fields: AccessFields) {
  const before = written.length;
  logRequest(log, fields, performance.now() - 1.26);
  const built = written.slice(before);
  expect(built).toHaveLength(1);
  const { ms } = JSON.parse(built[0]!) as { ms: number };
  log.info({ ...fields, ms }, 'request');
  return { built: built[0], fromPino: written[before + 1] };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-05-01T12:00:00.123Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

const odd: [string, AccessFields][] = [
  ['a cached list', { reqId: 'req-1', method: 'GET', path: '/products', status: 200 }],
  [
    'a generated request id',
    { reqId: crypto.randomUUID(), method: 'GET', path: '/products/12', status: 304 },
  ],
  ['quotes and backslashes', { reqId: 'a.b:c=', method: 'GET', path: '/p/"x"\\y\\"', status: 404 }],
  ['Cyrillic and emoji', { reqId: 'r', method: 'GET', path: '/товары/ёжик-🦔', status: 200 }],
  [
    'control characters',
    { reqId: 'r', method: 'GET', path: '/a\u0000b\u0001\tc\nd\u001f\u007f', status: 400 },
  ],
  [
    'a lone surrogate and line separators',
    { reqId: 'r', method: 'GET', path: '/\ud800x\u2028\u2029', status: 404 },
  ],
  [
    'a path longer than pino’s short-string fast case',
    { method: 'GET', path: `/${'ab"'.repeat(60)}`, status: 404 },
  ],
  ['another method', { reqId: 'r', method: 'M-SEARCH', path: '/orders/1/cancel', status: 409 }],
  ['a server error', { reqId: 'r', method: 'POST', path: '/orders', status: 500 }],
];

describe('the access-log line', () => {
  it.each(odd)('is byte for byte the line pino writes: %s', (_name, fields) => {
    const { logger, written } = serviceLogger();

    const { built, fromPino } = bothLines(logger, written, fields);

    expect(built).toBe(fromPino);
  });

  it.each(odd)('through a per-request child logger is the line pino writes: %s', (_name, fields) => {
    const { logger, written } = serviceLogger();
    const { reqId, ...rest } = fields;
    const child = logger.child({ reqId: reqId ?? 'child' });

    const { built, fromPino } = bothLines(child, written, rest);

    expect(built).toBe(fromPino);
  });

  it('reads back as the fields, the time taken and the service it came from', () => {
    const { logger, written } = serviceLogger();

    logRequest(logger, { reqId: 'r-9', method: 'GET', path: '/products', status: 200 }, performance.now());

    expect(JSON.parse(written[0]!)).toEqual({
      level: 30,
      time: Date.parse('2026-05-01T12:00:00.123Z'),
      pid: process.pid,
      hostname: expect.any(String) as string,
      name: 'catalog',
      reqId: 'r-9',
      method: 'GET',
      path: '/products',
      status: 200,
      ms: expect.any(Number) as number,
      msg: 'request',
    });
  });

  it('is the line pino writes on a logger without redaction (as the test kit records)', () => {
    const written: string[] = [];
    const plain = pino({ level: 'debug' }, { write: (line: string) => void written.push(line) });

    const { built, fromPino } = bothLines(plain, written, {
      reqId: 'r',
      method: 'GET',
      path: '/x"y',
      status: 200,
    });

    expect(built).toBe(fromPino);
  });

  it('comes from pino itself on a logger that shapes its lines (a mixin)', () => {
    const written: string[] = [];
    const mixed = pino(
      { mixin: () => ({ region: 'eu' }) },
      { write: (line: string) => void written.push(line) },
    );

    logRequest(mixed, { reqId: 'r', method: 'GET', path: '/products', status: 200 }, performance.now());

    expect(JSON.parse(written[0]!)).toMatchObject({ region: 'eu', path: '/products', msg: 'request' });
  });

  it('is not written for probes, nor below info', () => {
    const { logger, written } = serviceLogger();
    for (const path of ['/health', '/ready', '/metrics'])
      logRequest(logger, { method: 'GET', path, status: 200 }, performance.now());
    const quiet = serviceLogger('warn');
    logRequest(quiet.logger, { method: 'GET', path: '/products', status: 200 }, performance.now());

    expect([written, quiet.written]).toEqual([[], []]);
  });
});
