import type { ServiceApp } from '@shop/shared';
import { streamSSE } from 'hono/streaming';
import type { World } from '../world/index.ts';
import type { SandboxEvent } from '../world/types.ts';

// Proxies drop connections that stay silent; a comment line every 15 s keeps them open.
const KEEPALIVE_MS = 15_000;

/**
 * `GET /sandbox/api/events[?chatId=]`: Server-Sent Events named message, edited, deleted,
 * callback_answered, chat_action (plus user and reset). The first event, `ready`, says the
 * subscription is live: a test that waits for it cannot miss what it does next.
 */
export function registerEventsRoute(app: ServiceApp, world: World, closing: AbortSignal): void {
  app.get('/sandbox/api/events', (c) => {
    const raw = c.req.query('chatId');
    const chatId = raw && /^-?\d+$/.test(raw) ? Number(raw) : undefined;
    return streamSSE(c, async (stream) => {
      const pending: SandboxEvent[] = [];
      let wake: () => void = () => undefined;
      const unsubscribe = world.events.subscribe((event) => {
        if (chatId !== undefined && event.chatId !== chatId && event.chatId !== null) return;
        pending.push(event);
        wake();
      });
      const stop = () => wake();
      stream.onAbort(stop);
      closing.addEventListener('abort', stop);
      let id = 0;
      try {
        await stream.writeSSE({
          event: 'ready',
          data: JSON.stringify({ chatId: chatId ?? null }),
          id: String(++id),
        });
        while (!stream.aborted && !stream.closed && !closing.aborted) {
          for (let event = pending.shift(); event; event = pending.shift()) {
            const { type, ...data } = event;
            await stream.writeSSE({ event: type, data: JSON.stringify(data), id: String(++id) });
          }
          const ping = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(true), KEEPALIVE_MS);
            wake = () => {
              clearTimeout(timer);
              resolve(false);
            };
            if (pending.length > 0 || stream.aborted || closing.aborted) wake();
          });
          if (ping) await stream.write(': ping\n\n');
        }
      } finally {
        unsubscribe();
        closing.removeEventListener('abort', stop);
      }
    });
  });
}
