/** The run's table, printed and written to a file so it can be pasted into docs/reliability.md. */
import { mkdir, writeFile } from 'node:fs/promises';
import { describeStock, type Audit, type StockBooks } from './checks.ts';
import type { LoadResult } from './load.ts';
import type { PaymentsOutcome } from './payments.ts';

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
  /** Orders cancelled (out of stock, expired): none expected with the run's stock and pace. */
  cancelled: number;
  /** What each run of the payments fault found (none when it did not run). */
  payments: PaymentsOutcome[];
  /** The run's products: units on hand, reserved and sold at the end. */
  stock: StockBooks[];
  audit: Audit;
  /** The order that waited longest for its message; `at` in seconds since the load started. */
  slowest: { orderId: number; at: number; seconds: number } | null;
  /** Seconds from the end of the last fault until nothing was left to happen; null if never. */
  drainSeconds: number | null;
  totalSeconds: number;
}

/**
 * A markdown table padded the way prettier pads one, so the file pastes into the docs as it is
 * (every cell is plain text without wide characters: the notes drop emoji).
 */
function table(header: string[], rows: string[][]): string[] {
  const plain = (cell: string) =>
    cell.replace(/\p{Extended_Pictographic}\uFE0F?\s*/gu, '').replaceAll('|', '/');
  // Code points: the cells hold no emoji any more, nor other characters wider than one column.
  const width = (cell: string) => Array.from(cell).length;
  const cells = [header, ...rows].map((line) => line.map(plain));
  const widths = header.map((_, column) => Math.max(3, ...cells.map((line) => width(line[column] ?? ''))));
  const line = (values: string[]) =>
    `| ${values.map((value, column) => value + ' '.repeat((widths[column] ?? 0) - width(value))).join(' | ')} |`;
  const [head = [], ...body] = cells;
  return [line(head), line(widths.map((size) => '-'.repeat(size))), ...body.map(line)];
}

const ids = (list: number[]) =>
  list.length === 0 ? '0' : `${list.length} (#${list.slice(0, 10).join(', #')})`;

/** The payments fault's books in a cell: `6 / 6 / 6 (of 6 Stars orders)`, or `-` when it did not run. */
function paymentsFigure(runs: readonly PaymentsOutcome[]): string {
  if (runs.length === 0) return '-';
  const sum = (pick: (run: PaymentsOutcome) => number) => runs.reduce((total, run) => total + pick(run), 0);
  const orders = sum((run) => run.orderIds.length);
  return `${sum((run) => run.charges)} / ${sum((run) => run.recordedOnce)} / ${sum((run) => run.paid)} (of ${orders} Stars orders)`;
}

export function renderReport(report: RunReport): string {
  const { load, audit } = report;
  const causes = [...load.retryCauses].map(([cause, n]) => `${cause} ${n}`).join(', ');
  const figures = [
    ['faults injected', `${report.faults.length} (below)`],
    [
      'orders accepted (201)',
      `${load.accepted.length + report.botOrders} (${report.paid} paid, ${report.declined} declined, ${report.cancelled} cancelled; ${report.botOrders} through the bot)`,
    ],
    ['Telegram charges taken / recorded once / orders paid', paymentsFigure(report.payments)],
    ...report.stock.map((books) => ['stock units (initial = on hand + sold)', describeStock(books)]),
    ['stock units that do not add up', audit.stockMismatch.join('; ') || '0'],
    ['lost', ids(audit.lost)],
    ['paid twice', ids(audit.paidTwice)],
    ['notified twice', ids(audit.notifiedTwice)],
    ['still pending', ids(audit.stillPending)],
    ['without a payment / not notified', `${ids(audit.withoutPayment)} / ${ids(audit.notNotified)}`],
    ['wrong status / wrong notification', `${ids(audit.wrongStatus)} / ${ids(audit.wrongNotification)}`],
    ['left in queues (besides planted poison)', audit.queueLeftovers.join(', ') || '0'],
    [
      'time to drain after the last fault',
      report.drainSeconds === null ? 'never (timed out)' : `${report.drainSeconds.toFixed(1)} s`,
    ],
    [
      'longest from 201 to the message in the chat',
      report.slowest
        ? `${report.slowest.seconds.toFixed(1)} s (order #${report.slowest.orderId}, accepted ${Math.round(report.slowest.at)} s in)`
        : '-',
    ],
    ['client retries (same Idempotency-Key)', `${load.retries}${causes ? ` (${causes})` : ''}`],
    ['orders refused / given up', `${load.refused.length} / ${load.gaveUp}`],
    ['whole run', `${Math.round(report.totalSeconds)} s`],
  ];
  const faults = report.faults.map((fault) => [
    fault.name,
    `${Math.round(fault.at)} s`,
    `${fault.lasted.toFixed(1)} s`,
    fault.notes.join('; ') || '-',
  ]);
  const lines = [
    ...table(['figure', 'value'], figures),
    '',
    ...table(['fault', 'at', 'back after', 'seen meanwhile'], faults),
  ];
  return `${lines.join('\n')}\n`;
}

export async function writeReport(text: string): Promise<void> {
  await mkdir(new URL('.', REPORT_FILE), { recursive: true });
  await writeFile(REPORT_FILE, text);
}
