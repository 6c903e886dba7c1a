import { pino, type DestinationStream } from 'pino';

/** Where gathered lines go: pino's own stdout destination, or anything that takes a string. */
export interface LineSink {
  write: (chunk: string) => unknown;
  /** Writes out what the sink itself still holds, before the process ends. */
  flushSync?: () => void;
}

/** A log destination that gathers lines and hands them on together. */
export interface BatchedDestination extends DestinationStream {
  /** Hands every gathered line to the sink now; pino's `logger.flush(done)` lands here. */
  flush: (done?: (error?: Error) => void) => void;
  /** `flush`, then the sink's own `flushSync`: for the moment the process exits. */
  flushSync: () => void;
}

/**
 * Lines written during one event-loop turn leave together, in the order written, as one write
 * to `sink` when the turn ends (`setImmediate`). A line waits at most that turn; nothing is
 * dropped or reordered. Whoever exits the process calls `flushSync` first (`batchedStdout` does).
 */
export function batchLines(sink: LineSink): BatchedDestination {
  let pending = '';
  let scheduled = false;
  const handOn = () => {
    scheduled = false;
    if (pending === '') return;
    const chunk = pending;
    pending = '';
    sink.write(chunk);
  };
  return {
    write(line: string) {
      pending += line;
      if (!scheduled) {
        scheduled = true;
        setImmediate(handOn);
      }
    },
    flush(done) {
      handOn();
      done?.();
    },
    flushSync() {
      handOn();
      sink.flushSync?.();
    },
  };
}

/**
 * Stdout for a service's JSON logs: pino's default destination (asynchronous writes to fd 1),
 * fed one batch of lines per event-loop turn instead of one line at a time. The lines still
 * gathered when the process exits, for any reason, are written out synchronously then, so the
 * last lines before a shutdown or a crash are never lost.
 */
export function batchedStdout(): BatchedDestination {
  const stdout = pino.destination({ dest: process.stdout.fd, sync: false });
  const batched = batchLines(stdout);
  process.once('exit', () => batched.flushSync());
  return batched;
}
