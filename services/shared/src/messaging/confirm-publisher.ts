import { once } from 'node:events';
import type { ConfirmChannel, Message, Options } from 'amqplib';

/** Why a publish failed: the broker was unreachable, routed it nowhere, refused it, or never answered. */
export type PublishFailure = 'unavailable' | 'unroutable' | 'nacked' | 'timeout' | 'channel_closed';

/** A publish the broker did not confirm; the message must be treated as not sent. */
export class PublishError extends Error {
  readonly reason: PublishFailure;

  constructor(reason: PublishFailure, message: string, cause?: unknown) {
    super(message);
    this.name = 'PublishError';
    this.reason = reason;
    if (cause !== undefined) this.cause = cause;
  }
}

/**
 * Publishes on one confirm channel with `mandatory`, resolving on the broker's ack and rejecting
 * on a nack, a `basic.return` or a timeout. Any number of publishes may be in flight at once.
 */
export class ConfirmPublisher {
  readonly channel: ConfirmChannel;
  readonly #timeoutMs: number;
  /**
   * Returns not yet matched to a confirm, per messageId. RabbitMQ sends a message's basic.return
   * before its basic.ack, so the next confirm for that id is the returned message. Ids are event
   * ids: unique unless the same event is published twice at once on one channel.
   */
  readonly #returned = new Map<string, number>();
  #drained: Promise<unknown> | undefined;
  #closed = false;

  constructor(channel: ConfirmChannel, timeoutMs: number) {
    this.channel = channel;
    this.#timeoutMs = timeoutMs;
    channel.on('close', () => (this.#closed = true));
    channel.on('return', (message: Message) => {
      const id = String(message.properties.messageId);
      this.#returned.set(id, (this.#returned.get(id) ?? 0) + 1);
    });
  }

  /** True once the channel closed; a new publisher is needed then. */
  get closed(): boolean {
    return this.#closed;
  }

  async publish(
    exchange: string,
    routingKey: string,
    content: Buffer,
    options: Options.Publish,
  ): Promise<void> {
    // Past the socket's high-water mark amqplib still queues the message, but memory grows: wait.
    if (this.#drained) await this.#drained;
    const messageId = String(options.messageId);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new PublishError('timeout', `no confirm for ${messageId} within ${this.#timeoutMs} ms`));
      }, this.#timeoutMs);
      const settle = (error: unknown) => {
        clearTimeout(timer);
        if (this.#takeReturn(messageId)) {
          reject(
            new PublishError(
              'unroutable',
              `no queue is bound for ${exchange}/${routingKey} (message ${messageId})`,
            ),
          );
        } else if (error) {
          const closed = error instanceof Error && /closed/i.test(error.message);
          reject(
            closed
              ? new PublishError('channel_closed', `channel closed before confirming ${messageId}`, error)
              : new PublishError('nacked', `the broker refused message ${messageId}`, error),
          );
        } else {
          resolve();
        }
      };
      try {
        const ok = this.channel.publish(
          exchange,
          routingKey,
          content,
          { ...options, mandatory: true },
          settle,
        );
        if (!ok && !this.#drained) {
          // A channel that closes instead of draining fails the waiting publishes by itself.
          this.#drained = Promise.race([once(this.channel, 'drain'), once(this.channel, 'close')])
            .catch(() => undefined)
            .finally(() => (this.#drained = undefined));
        }
      } catch (error) {
        clearTimeout(timer);
        reject(
          new PublishError(
            'channel_closed',
            `cannot publish ${messageId}: ${(error as Error).message}`,
            error,
          ),
        );
      }
    });
  }

  #takeReturn(messageId: string): boolean {
    const count = this.#returned.get(messageId);
    if (!count) return false;
    if (count === 1) this.#returned.delete(messageId);
    else this.#returned.set(messageId, count - 1);
    return true;
  }
}
