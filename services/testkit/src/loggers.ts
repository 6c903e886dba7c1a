import { pino, type Logger } from 'pino';

/** A logger that drops everything: test output stays readable. */
export function testLogger(): Logger {
  return pino({ level: 'silent' });
}

/** A logger whose lines a test can inspect. */
export function recordingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}
