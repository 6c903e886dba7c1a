/** The run's table, printed and written to a file so it can be pasted into the README. */
import { mkdir, writeFile } from 'node:fs/promises';
import type { Audit } from './checks.ts';
import type { LoadResult } from './load.ts';

export const REPORT_FILE = new URL('../../test-results/chaos-last-run.md', import.meta.url);

export interface FaultRecord {
  name: string;
  /** Seconds since the load started. */
  at: number;
  /** Seconds from injecting it until the part or server was back. */
  lasted: number;
  /** What the suite saw meanwhile (the catalog during the Redis outage, a chat...). */
  notes: string[];
}

export interface RunReport {
  faults: FaultRecord[];
  load: LoadResult;
  /** Orders placed through the bot (accepted when it announced them). */
  botOrders: number;
  paid: number;
  declined: number;
  audit: Audit;
  /** The order that waited longest for its message; `at` in seconds since the load started. */
  slowest: { orderId: number; at: number; seconds: number } | null;
  /** Seconds from the end of the last fault until nothing was left to happen; null if never. */
  drainSeconds: number | null;
  totalSeconds: number;
}

const row = (...cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const ids = (list: number[]) =>
  list.length === 0 ? '0' : `${list.length} (#${list.slice(0, 10).join(', #')})`;

export function renderReport(report: RunReport): string {
  const { load, audit } = report;
  const causes = [...load.retryCauses].map(([cause, n]) => `${cause} ${n}`).join(', ');
  const lines = [
    row('figure', 'value'),
    row('---', '---'),
    row('faults injected', `${report.faults.length}: ${report.faults.map((fault) => fault.name).join('; ')}`),
    row(
      'orders accepted (201)',
      `${load.accepted.length + report.botOrders} (${report.paid} paid, ${report.declined} declined; ${report.botOrders} through the bot)`,
    ),
    row('lost', ids(audit.lost)),
    row('paid twice', ids(audit.paidTwice)),
    row('notified twice', ids(audit.notifiedTwice)),
    row('still pending', ids(audit.stillPending)),
    row('without a payment / not notified', `${ids(audit.withoutPayment)} / ${ids(audit.notNotified)}`),
    row('wrong status / wrong notification', `${ids(audit.wrongStatus)} / ${ids(audit.wrongNotification)}`),
    row('left in queues (besides planted poison)', audit.queueLeftovers.join(', ') || '0'),
    row(
      'time to drain after the last fault',
      report.drainSeconds === null ? 'never (timed out)' : `${report.drainSeconds.toFixed(1)} s`,
    ),
    row(
      'longest from 201 to the message in the chat',
      report.slowest
        ? `${report.slowest.seconds.toFixed(1)} s (order #${report.slowest.orderId}, accepted ${Math.round(report.slowest.at)} s in)`
        : '-',
    ),
    row('client retries (same Idempotency-Key)', `${load.retries}${causes ? ` (${causes})` : ''}`),
    row('orders refused / given up', `${load.refused.length} / ${load.gaveUp}`),
    row('whole run', `${Math.round(report.totalSeconds)} s`),
    '',
    row('fault', 'at', 'back after', 'seen meanwhile'),
    row('---', '---', '---', '---'),
    ...report.faults.map((fault) =>
      row(
        fault.name,
        `${Math.round(fault.at)} s`,
        `${fault.lasted.toFixed(1)} s`,
        fault.notes.join('; ') || '-',
      ),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

export async function writeReport(text: string): Promise<void> {
  await mkdir(new URL('.', REPORT_FILE), { recursive: true });
  await writeFile(REPORT_FILE, text);
}
