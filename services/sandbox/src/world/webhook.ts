import type { Update, WebhookInfo } from 'grammy/types';
import type { Logger } from 'pino';
import { OutsideNetworkError, requestPrivate } from '../net/private-network.ts';
import { unixNow } from './chats.ts';
import type { UpdateQueue } from './update-queue.ts';

export interface WebhookConfig {
  url: string;
  secretToken?: string;
  maxConnections: number;
  /** The token that set the webhook: a method in the webhook's answer runs as this bot. */
  token: string;
}

export interface WebhookOptions {
  /** First pause after a failed delivery; it doubles per failure up to 5 s. */
  retryDelayMs?: number;
  /** A webhook that has not answered after this long counts as failed. */
  timeoutMs?: number;
}

type Outcome = { ok: true; reply?: Record<string, unknown> } | { ok: false; error: string };

/**
 * Posts pending updates to the webhook one at a time, in order, each until it is answered with
 * a 2xx (then it is confirmed); failures are retried with a short backoff and reported in
 * getWebhookInfo, as Telegram does.
 */
export class Webhook {
  readonly #queue: UpdateQueue;
  readonly #logger: Logger;
  readonly #retryDelayMs: number;
  readonly #timeoutMs: number;
  #config: WebhookConfig | undefined;
  #lastError: { date: number; message: string } | undefined;
  #running = false;
  #closed = false;
  #wake: (() => void) | undefined;
  /** Runs a Bot API method the webhook answered with (Telegram's "webhook reply"). */
  onReply: (token: string, call: Record<string, unknown>) => Promise<void> = () => Promise.resolve();

  constructor(queue: UpdateQueue, logger: Logger, options: WebhookOptions = {}) {
    this.#queue = queue;
    this.#logger = logger;
    this.#retryDelayMs = options.retryDelayMs ?? 100;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    queue.onPush = () => this.#kick();
  }

  get active(): boolean {
    return this.#config !== undefined;
  }

  set(config: WebhookConfig): void {
    this.#config = config;
    this.#lastError = undefined;
    this.#wake?.();
    this.#kick();
  }

  delete(): void {
    this.#config = undefined;
    this.#wake?.();
  }

  close(): void {
    this.#closed = true;
    this.delete();
  }

  info(): WebhookInfo {
    const config = this.#config;
    const allowed = this.#queue.allowed;
    return {
      url: config?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: this.#queue.size,
      ...(this.#lastError
        ? { last_error_date: this.#lastError.date, last_error_message: this.#lastError.message }
        : {}),
      ...(config ? { max_connections: config.maxConnections } : {}),
      ...(config && allowed ? { allowed_updates: allowed } : {}),
    };
  }

  #kick(): void {
    if (!this.#running && !this.#closed && this.#config && this.#queue.size > 0) void this.#run();
  }

  async #run(): Promise<void> {
    this.#running = true;
    let failures = 0;
    try {
      for (;;) {
        const config = this.#config;
        const entry = this.#queue.peek();
        if (!config || !entry || this.#closed) return;
        const outcome = await this.#post(config, entry.update);
        if (outcome.ok) {
          failures = 0;
          this.#queue.remove(entry);
          if (outcome.reply) await this.onReply(config.token, outcome.reply);
          continue;
        }
        failures++;
        this.#lastError = { date: unixNow(), message: outcome.error };
        this.#logger.warn({ url: config.url, error: outcome.error, failures }, 'webhook delivery failed');
        await this.#sleep(Math.min(this.#retryDelayMs * 2 ** (failures - 1), 5_000));
      }
    } finally {
      this.#running = false;
    }
  }

  async #post(config: WebhookConfig, update: Update): Promise<Outcome> {
    try {
      // Checked again at each delivery: the name may point elsewhere since setWebhook.
      const response = await requestPrivate(new URL(config.url), {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(config.secretToken ? { 'X-Telegram-Bot-Api-Secret-Token': config.secretToken } : {}),
        },
        body: JSON.stringify(update),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      if (response.status < 200 || response.status > 299) {
        return {
          ok: false,
          error: `Wrong response from the webhook: ${response.status} ${response.statusText}`,
        };
      }
      return { ok: true, ...webhookReply(response.headers['content-type'], response.body.toString()) };
    } catch (error) {
      return { ok: false, error: describeFailure(error) };
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }
}

function webhookReply(contentType: string | undefined, body: string): { reply?: Record<string, unknown> } {
  if (!contentType?.includes('application/json')) return {};
  try {
    const parsed: unknown = JSON.parse(body);
    const isCall = typeof parsed === 'object' && parsed !== null && 'method' in parsed;
    return isCall ? { reply: parsed } : {};
  } catch {
    return {};
  }
}

function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return `Connection failed: ${String(error)}`;
  const cause = error.cause as { name?: string } | undefined;
  if (error.name === 'AbortError' && cause?.name === 'TimeoutError') return 'Read timeout expired';
  if ((error as NodeJS.ErrnoException).code === 'ECONNREFUSED') return 'Connection refused';
  if (error instanceof OutsideNetworkError) return `Connection refused by the sandbox: ${error.message}`;
  return `Connection failed: ${error.message}`;
}
