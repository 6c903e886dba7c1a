import { pino, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  service: string;
  level: string;
  /** `pretty`: coloured lines; `json`: one object a line; `auto`: pretty only on a terminal. */
  format?: 'auto' | 'pretty' | 'json';
}

/** Fields that must never reach a log line, wherever they appear in a logged object. */
const redactPaths = [
  'password',
  '*.password',
  'passwordHash',
  '*.passwordHash',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'token',
  '*.token',
  'req.headers.authorization',
  'headers.authorization',
];

/**
 * Creates the process logger: JSON in production, readable when attached to a terminal.
 *
 * JSON lines go to stdout asynchronously: while one write is in flight the next lines gather in
 * a buffer and leave with the following write, so a busy service makes one system call for many
 * access-log lines instead of one each, and an idle one still writes every line at once. pino
 * flushes what is buffered when the process exits.
 */
export function createLogger({ service, level, format = 'auto' }: LoggerOptions): Logger {
  const pretty = format === 'pretty' || (format === 'auto' && process.stdout.isTTY);
  const options = { name: service, level, redact: { paths: redactPaths, censor: '[redacted]' } };
  if (pretty)
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l' } },
    });
  return pino(options, pino.destination({ dest: 1, sync: false }));
}
