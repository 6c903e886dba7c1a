/**
 * The faults, one after another while the load runs: crashes of the services, outages of the
 * three servers, and the bot killed under a user mid-checkout. Each notes what it saw and reports
 * a problem when a user would have noticed one.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { PartName } from '../../scripts/lib/processes.ts';
import { SandboxChat } from '../support/sandbox.ts';
import type { Shop } from '../support/shop.ts';
import { botUser, confirmCheckout, openCheckout, replyTo } from './bot-user.ts';
import { paymentsFault, type PaymentsOutcome, type StarsProduct } from './payments.ts';
import type { FaultRecord } from './report.ts';
import { rabbitmqOutage, redisOutage, restartPostgres } from './servers.ts';

export interface ChaosTiming {
  /** How long RabbitMQ and Redis stay down. */
  outageSeconds: number;
  /** How long a killed process stays dead. */
  deadSeconds: number;
  /** Quiet time between two faults. */
  gapSeconds: number;
}

interface FaultLog {
  note(text: string): void;
  problem(text: string): void;
}

interface Fault {
  name: string;
  inject(log: FaultLog): Promise<void>;
}

export interface FaultHooks {
  /** Runs right after RabbitMQ is back (the suite plants more poison then). */
  afterRabbitmq(): Promise<void>;
  /** A product the catalog is asked for while Redis is down. */
  productId: number;
  /** An order the bot announced in a chat. */
  botOrder(orderId: number): void;
  /** The Telegram Stars product the payments fault's buyers order through the bot. */
  starsProduct: StarsProduct;
  /** What the payments fault's buyers ordered and paid, and what the books say of it. */
  payments(outcome: PaymentsOutcome): void;
}

const crash = (shop: Shop, name: PartName, timing: ChaosTiming, label: string = name): Fault => ({
  name: `kill -9 ${label}`,
  async inject() {
    await shop.kill(name);
    await sleep(timing.deadSeconds * 1_000);
    await shop.start(name);
  },
});

/** Reads the catalog every half second while `active()`; notes how many answered 200. */
async function probeCatalog(shop: Shop, productId: number, active: () => boolean, log: FaultLog) {
  let answered = 0;
  let asked = 0;
  while (active()) {
    asked += 1;
    const ok = await fetch(`${shop.url('catalog')}/products/${productId}`, {
      signal: AbortSignal.timeout(3_000),
    })
      .then((res) => res.status === 200)
      .catch(() => false);
    if (ok) answered += 1;
    await sleep(500);
  }
  log.note(`catalog answered ${answered}/${asked} reads`);
  if (answered < asked)
    log.problem(`the catalog failed ${asked - answered} of ${asked} reads while Redis was down`);
}

/**
 * A signed-in English user and a Russian guest write to the bot while Redis is down: each must be
 * asked to try again, in their language; once Redis is back the bot answers normally.
 */
function redisFault(shop: Shop, timing: ChaosTiming, hooks: FaultHooks): Fault {
  return {
    name: `Redis stopped ${timing.outageSeconds} s`,
    async inject(log) {
      const rita = await botUser(shop, 'Rita');
      const olga = await SandboxChat.create(shop.sandbox, 'Olga', 'ru');
      const askDuringOutage = async (chat: SandboxChat, text: string, expected: RegExp, until: number) => {
        try {
          log.note(`${chat.user.firstName} got "${await replyTo(chat, text, expected, until - Date.now())}"`);
        } catch (error) {
          log.problem(
            `no "try again" for ${chat.user.firstName} while Redis was down: ${(error as Error).message}`,
          );
        }
      };
      await redisOutage(timing.outageSeconds, async () => {
        const until = Date.now() + (timing.outageSeconds - 1) * 1_000;
        await Promise.all([
          probeCatalog(shop, hooks.productId, () => Date.now() < until, log),
          askDuringOutage(rita, '/orders', /Please try again/, until),
          askDuringOutage(olga, '/start', /Попробуйте ещё раз/, until),
        ]);
      });
      // Redis kept nothing (CI runs it without persistence): Rita starts over as a guest, sanely.
      try {
        const reply = await replyTo(rita, '/start', /Welcome/, 30_000);
        log.note(`after it: /start answered "${/^[^.!]*[.!]?/.exec(reply)?.[0] ?? reply}"`);
      } catch (error) {
        log.problem(`the bot did not recover after Redis came back: ${(error as Error).message}`);
      }
    },
  };
}

/** A user in the checkout's delivery questions when the bot dies; they carry on after the restart. */
function botFault(shop: Shop, timing: ChaosTiming, hooks: FaultHooks): Fault {
  return {
    name: 'kill -9 bot mid-checkout',
    async inject(log) {
      const chat = await botUser(shop, 'Boris');
      await openCheckout(chat);
      await shop.kill('bot');
      await sleep(timing.deadSeconds * 1_000);
      await shop.start('bot');
      try {
        const orderId = await confirmCheckout(chat);
        hooks.botOrder(orderId);
        log.note(`the user carried on from the phone question and placed order #${orderId}`);
      } catch (error) {
        log.problem(`the checkout did not survive the bot restart: ${(error as Error).message}`);
      }
    },
  };
}

/** The faults by key, in the order of a full run. */
function faultsByKey(shop: Shop, timing: ChaosTiming, hooks: FaultHooks): Record<string, () => Fault> {
  return {
    payment: () => crash(shop, 'payment', timing),
    order: () => crash(shop, 'order', timing, 'order (relay included)'),
    notification: () => crash(shop, 'notification', timing),
    rabbitmq: () => ({
      name: `RabbitMQ stopped ${timing.outageSeconds} s`,
      async inject() {
        await rabbitmqOutage(timing.outageSeconds);
        await hooks.afterRabbitmq();
      },
    }),
    postgres: () => ({ name: 'PostgreSQL restarted', inject: () => restartPostgres() }),
    redis: () => redisFault(shop, timing, hooks),
    bot: () => botFault(shop, timing, hooks),
    payments: () => ({
      name: 'kill -9 payment, then bot, while Stars invoices are paid',
      async inject(log) {
        hooks.payments(await paymentsFault(shop, hooks.starsProduct, timing.deadSeconds, log));
      },
    }),
  };
}

export const ALL_FAULTS = 'payment,order,notification,rabbitmq,postgres,redis,bot,payments';

/** The faults named in `keys` (comma-separated, repeats allowed: a developer's focused run). */
export function chaosFaults(shop: Shop, timing: ChaosTiming, hooks: FaultHooks, keys = ALL_FAULTS): Fault[] {
  const known = faultsByKey(shop, timing, hooks);
  return keys.split(',').map((key) => {
    const make = known[key.trim()];
    if (!make) throw new Error(`unknown fault ${key}; known: ${ALL_FAULTS}`);
    return make();
  });
}

/** Injects the faults one by one with a quiet gap before each; returns what happened and what went wrong. */
export async function runFaults(
  faults: Fault[],
  timing: ChaosTiming,
  startedAt: number,
): Promise<{ records: FaultRecord[]; problems: string[] }> {
  const records: FaultRecord[] = [];
  const problems: string[] = [];
  for (const fault of faults) {
    await sleep(timing.gapSeconds * 1_000);
    const record: FaultRecord = {
      name: fault.name,
      at: (Date.now() - startedAt) / 1_000,
      lasted: 0,
      notes: [],
    };
    const began = Date.now();
    try {
      await fault.inject({
        note: (text) => record.notes.push(text),
        problem: (text) => {
          record.notes.push(`PROBLEM: ${text}`);
          problems.push(`${fault.name}: ${text}`);
        },
      });
    } catch (error) {
      problems.push(`${fault.name}: ${(error as Error).message}`);
      record.notes.push(`FAILED: ${(error as Error).message}`);
    }
    record.lasted = (Date.now() - began) / 1_000;
    records.push(record);
    console.log(`chaos: ${fault.name} done after ${record.lasted.toFixed(1)} s ${record.notes.join('; ')}`);
  }
  return { records, problems };
}
