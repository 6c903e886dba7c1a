/** Running podman (and the few other commands the container check needs) and reading their output. */
import { execFile } from 'node:child_process';

export class CommandError extends Error {
  readonly output: string;

  constructor(command: string, args: readonly string[], output: string, cause: unknown) {
    const tail = output.trim().split('\n').slice(-30).join('\n');
    super(`${command} ${args.join(' ')} failed${tail ? `:\n${tail}` : ''}`, { cause });
    this.output = output;
  }
}

export interface RunOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Resolve with what it printed on standard error too (after its standard output). */
  stderr?: boolean;
}

/** Runs `command` and resolves with its standard output; rejects with the end of all it printed. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        maxBuffer: 256 * 1024 * 1024,
        timeout: options.timeoutMs ?? 120_000,
        killSignal: 'SIGKILL',
        signal: options.signal,
        env: options.env ?? process.env,
      },
      (error, stdout, stderr) => {
        if (error) reject(new CommandError(command, args, `${stdout}\n${stderr}`, error));
        else resolve(options.stderr ? `${stdout}${stderr}` : stdout);
      },
    );
  });
}

export const podman = (args: readonly string[], options?: RunOptions) => run('podman', args, options);

/** Whether the image exists in local storage. */
export async function imageExists(image: string): Promise<boolean> {
  return podman(['image', 'exists', image]).then(
    () => true,
    () => false,
  );
}

/** The image's size in bytes, as `podman images` shows it (its base included). */
export async function imageSize(image: string): Promise<number> {
  return Number((await podman(['image', 'inspect', '--format', '{{.Size}}', image])).trim());
}

export const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** Seconds since `start` (a `performance.now()`), for progress lines. */
export const secondsSince = (start: number) => `${((performance.now() - start) / 1000).toFixed(1)} s`;
