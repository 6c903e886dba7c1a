import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface QueueState {
  name: string;
  /** Ready plus unacknowledged. */
  messages: number;
  consumers: number;
}

/** Every queue of a virtual host as the broker sees it (rabbitmqctl: the management API may be off). */
export async function listQueues(vhost: string): Promise<QueueState[]> {
  const { stdout } = await run(
    'rabbitmqctl',
    ['-q', 'list_queues', '--no-table-headers', '-p', vhost, 'name', 'messages', 'consumers'],
    { timeout: 60_000 },
  );
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [name = '', messages = '', consumers = ''] = line.trim().split(/\s+/);
      return { name, messages: Number(messages), consumers: Number(consumers) };
    });
}
