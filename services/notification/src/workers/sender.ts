import { setTimeout as sleep } from 'node:timers/promises';
import type { InvoicePhotoCheck, InvoiceSettings, Orm } from '@shop/shared';
import type { Logger } from 'pino';
import type { SendOutcome, TelegramClient } from '../telegram/client.ts';
import { claimNext, failAbandoned, rowOf, type Delivery } from '../store/deliveries.ts';
import { skipExpired } from '../store/expiry.ts';
import { recordOutcome } from '../store/record-outcome.ts';

export interface SenderOptions {
  orm: Orm;
  client: TelegramClient;
  logger: Logger;
  /** How long an outcome waits for its order summary and the buyer's chat. */
  maxWaitMs: number;
  /** Messages claimed and in flight at once; the rate limiter paces them. */
  maxInFlight?: number;
  /** Fallback when no wake-up comes: due retries, expiring waits, other instances' rows. */
  pollIntervalMs?: number;
  /** How often claims abandoned by a process that died are looked for (30 s by default). */
  recoveryIntervalMs?: number;
  /** What invoices are sent with (provider token, where product photos are); none by default. */
  invoices?: InvoiceSettings;
  /** Drops an invoice's photo that does not answer; by default every photo is kept. */
  checkInvoicePhoto?: InvoicePhotoCheck;
}

export interface Sender {
  start(): void;
  /** Something became due: look now rather than at the next poll. */
  wake(): void;
  /** Stops claiming; waits for messages in flight, and returns unsent ones to `pending`. */
  stop(): Promise<void>;
}

const EXPIRY_INTERVAL_MS = 1_000;
const EXPIRY_BATCH = 1_000;
/** How far ahead of its turn at the rate limiter a message may be claimed. */
const CLAIM_AHEAD_MS = 20;
/** How long before its turn the next message is claimed: about one claim's transaction. */
const CLAIM_LEAD_MS = 8;
/**
 * The longest a claim's transaction waits for its turn (with other replicas, or under a 429's
 * pause, the turn can be far off): then it is rolled back, its rows left `pending`, and claimed again.
 */
const TURN_WAIT_MS = 1_000;

/** The claim's transaction gave up waiting for its turn: rolled back, nothing claimed. */
class NoTurnYet extends Error {}

/**
 * Sends each recorded message (a buyer's news, an admin's alert, a buyer's copy of an
 * announcement) at most once, and loses none silently:
 * 1. the consumer's inbox transaction inserts the row `pending` (the event is acked after): one
 *    for the buyer's news, one per admin chat for an alert; an announcement inserts one `pending`
 *    delivery per buyer with itself;
 * 2. a few ms before the rate limiter gives the next send its turn (`CLAIM_LEAD_MS`),
 *    `claimNext` turns one due row (news about an order, then alerts, then announcements) into
 *    `sending`, and its transaction waits for the turn and COMMITS only once the turn is taken;
 *    the send goes right after the commit;
 * 3. the outcome is written afterwards (`recordOutcome`): `sent`, `failed` (a 403 also marks
 *    the chat unreachable; an announcement's copy is then `blocked`), or back to `pending` when
 *    the send provably never happened (stopped while waiting).
 * A row is only ever sent from `pending`, and leaves `pending` before the call, so neither a
 * redelivered event, a second instance nor a restart can send it again. A process dying while a
 * claim waits for its turn leaves nothing behind: the claim was not committed, and the row is
 * still `pending` for whoever comes next. The price is one window, from the claim's commit to
 * the call's answer: a process dying in it leaves the row `sending`; after the longest a call can
 * take it is marked `failed` ("outcome unknown") with an error log rather than resent.
 */
export function createSender(options: SenderOptions): Sender {
  const { orm, client, maxWaitMs, maxInFlight = 32, pollIntervalMs = 1_000, invoices } = options;
  const recoveryIntervalMs = options.recoveryIntervalMs ?? 30_000;
  const checkInvoicePhoto = options.checkInvoicePhoto ?? ((invoice) => Promise.resolve(invoice));
  const log = options.logger.child({ component: 'sender' });
  const leaseMs = client.maxDurationMs + 60_000;
  const inFlight = new Set<Promise<void>>();
  const stopping = new AbortController();
  const stopped = () => stopping.signal.aborted;
  let running = false;
  let woken = false;
  let wakeUp: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  let lastRecovery = 0;
  let lastExpiry = 0;
  let housekeeping: Promise<void> | undefined;

  const idle = async (ms: number) => {
    if (woken) return;
    const abort = new AbortController();
    await Promise.race([
      sleep(ms, undefined, { signal: abort.signal }).catch(() => {}),
      new Promise<void>((resolve) => (wakeUp = resolve)),
    ]);
    abort.abort();
    wakeUp = undefined;
  };

  const recoverAbandoned = async () => {
    if (Date.now() - lastRecovery < recoveryIntervalMs) return;
    lastRecovery = Date.now();
    await failAbandoned(orm.em.fork(), leaseMs, log);
  };

  const skipExpiredWaits = async () => {
    if (Date.now() - lastExpiry < EXPIRY_INTERVAL_MS) return;
    lastExpiry = Date.now();
    let skipped = EXPIRY_BATCH;
    while (skipped === EXPIRY_BATCH && running) {
      skipped = await orm.em
        .fork()
        .transactional((em) => skipExpired(em, { limit: EXPIRY_BATCH, maxWaitMs, logger: log }));
    }
  };

  /**
   * Recovery and expiry, at most one round at a time, beside the claims rather than ahead of
   * them: a message due now must not wait for a scan of the ones that are not. A round always
   * ends, so the next one comes: its statements are bounded (the ORM's `queryTimeoutMs`), it
   * waits for no lock, and one that fails is logged and tried again in the next round.
   */
  const keepHouse = () => {
    housekeeping ??= (async () => {
      try {
        await recoverAbandoned();
        await skipExpiredWaits();
      } catch (error) {
        log.error({ err: error }, 'cannot recover or expire notifications');
      } finally {
        housekeeping = undefined;
      }
    })();
  };

  /**
   * Sends the claimed message (an invoice's photo was checked with the claim); a message that
   * replaces an invoice deletes the invoice first. The invoice's deletion is no promise: one
   * Telegram will not delete (older than 48 hours, or gone already) or that fails stays, and the
   * message is sent all the same.
   */
  const send = async (delivery: Delivery, turnTaken: boolean): Promise<SendOutcome> => {
    let firstTurnTaken = turnTaken;
    if (delivery.kind === 'order' && delivery.replaces) {
      const { chatId, messageId } = delivery.replaces;
      const deleted = await client.deleteMessage(chatId, messageId, stopping.signal, { turnTaken });
      if (deleted.status === 'interrupted') return deleted;
      if (deleted.status !== 'sent') {
        log.warn(
          { ...rowOf(delivery).fields, messageId, outcome: deleted },
          'the invoice could not be deleted; telling the buyer it expired all the same',
        );
      }
      firstTurnTaken = false;
    }
    return client.send(delivery.chatId, delivery.content, stopping.signal, { turnTaken: firstTurnTaken });
  };

  /**
   * The first claimed message's turn, taken inside the claim's transaction; NoTurnYet (the claim
   * is rolled back) when stopping, or after TURN_WAIT_MS.
   */
  const takeTurn = async () => {
    try {
      await client.nextTurn(AbortSignal.any([stopping.signal, AbortSignal.timeout(TURN_WAIT_MS)]));
    } catch {
      throw new NoTurnYet();
    }
  };

  const deliver = async (delivery: Delivery, turnTaken: boolean) => {
    const outcome = await send(delivery, turnTaken);
    // The message may be out: writing that down must not give up on a short database hiccup.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await recordOutcome(orm.em.fork(), delivery, outcome, log);
        return;
      } catch (error) {
        if (attempt === 5) {
          // The row's key only: an alert's content is the buyer's personal data.
          log.error(
            { err: error, ...rowOf(delivery).fields, outcome: outcome.status },
            'cannot record the send outcome',
          );
          return;
        }
        await sleep(attempt * 500);
      }
    }
  };

  const run = async () => {
    let failures = 0;
    while (running) {
      woken = false;
      try {
        keepHouse();
        if (inFlight.size >= maxInFlight) {
          await Promise.race(inFlight);
          continue;
        }
        // Claimed right before the first one's turn at the rate limiter comes (CLAIM_LEAD_MS), and
        // no more than the limit lets out within CLAIM_AHEAD_MS after it. A claim commits
        // `sending`, and a message once claimed is never claimed again, so the claim commits only
        // once the first one's turn is taken: a process dying before that leaves its rows
        // `pending`. Claiming during the wait keeps the claim's queries out of the interval between
        // two sends; only its commit is in it. At Telegram's 30/s that is one message a claim;
        // under a higher limit one claim (a transaction) serves several.
        const early = client.untilNextTurn() - CLAIM_LEAD_MS;
        if (early > 0) await sleep(early, undefined, { signal: stopping.signal }).catch(() => {});
        if (stopping.signal.aborted) break;
        const limit = Math.min(1 + client.sendsWithin(CLAIM_AHEAD_MS), maxInFlight - inFlight.size);
        let claimed: Delivery[];
        try {
          claimed = await orm.em.fork().transactional(async (em) => {
            const rows = await claimNext(em, { limit, maxWaitMs, logger: log, invoices });
            const ready = await Promise.all(
              rows.map(async (row) => ({
                ...row,
                content:
                  'invoice' in row.content
                    ? { ...row.content, invoice: await checkInvoicePhoto(row.content.invoice) }
                    : row.content,
              })),
            );
            if (ready.length > 0) await takeTurn();
            return ready;
          });
        } catch (error) {
          if (!(error instanceof NoTurnYet)) throw error;
          // stopped(), not the property: TypeScript would narrow it as if the awaits could not change it.
          if (stopped()) break;
          continue;
        }
        failures = 0;
        claimed.forEach((delivery, index) => {
          const task = deliver(delivery, index === 0).finally(() => inFlight.delete(task));
          inFlight.add(task);
        });
        // Fewer than asked for: nothing else was due. Claim again at once only if woken meanwhile
        // (idle returns straight away then); an empty claim is a transaction for nothing.
        if (claimed.length === limit) continue;
      } catch (error) {
        failures += 1;
        log.error({ err: error }, 'cannot claim notifications');
      }
      await idle(failures > 0 ? Math.min(pollIntervalMs * 2 ** failures, 30_000) : pollIntervalMs);
    }
  };

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    wake() {
      woken = true;
      wakeUp?.();
    },
    async stop() {
      running = false;
      stopping.abort();
      woken = true;
      wakeUp?.();
      await loop;
      await Promise.allSettled([...inFlight, housekeeping]);
    },
  };
}
