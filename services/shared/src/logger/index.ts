import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };
export { batchedStdout, batchLines, type BatchedDestination, type LineSink } from './batched-stdout.ts';

export interface LoggerOptions {
  service: string;
  level: string;
  /** `pretty`: coloured lines; `json`: one object a line; `auto`: pretty only on a terminal. */
  format?: 'auto' | 'pretty' | 'json';
  /** Makes where JSON lines go (pretty lines go to the terminal); default: pino's stdout. */
  destination?: () => DestinationStream;
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
  // A buyer's delivery details (services/shared/src/delivery) are personal data.
  'delivery',
  '*.delivery',
  'phone',
  '*.phone',
  'address',
  '*.address',
  'req.headers.authorization',
  'headers.authorization',
];

/** Creates the process logger: JSON in production, readable when attached to a terminal. */
export function createLogger({ service, level, format = 'auto', destination }: LoggerOptions): Logger {
  const pretty = format === 'pretty' || (format === 'auto' && process.stdout.isTTY);
  const options = { name: service, level, redact: { paths: redactPaths, censor: '[redacted]' } };
  if (pretty)
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l' } },
    });
  return destination ? pino(options, destination()) : pino(options);
}
