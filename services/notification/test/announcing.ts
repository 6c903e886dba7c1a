import { randomInt } from 'node:crypto';
import { createEvent } from '@shop/shared';
import { eventually, requestJson } from '@shop/testkit';
import { expect } from 'vitest';
import type { AnnouncementView } from '../src/store/announcements.ts';
import type { Rig } from './harness.ts';
import type { StartedNotification } from './start.ts';

/** A user whose Telegram chat the notification service knows (`user.telegram_linked`). */
export interface LinkedChat {
  userId: string;
  chatId: number;
}

/**
 * Links a chat for each of `chats` (fresh random ids by default) and waits until `service` (a
 * replica of `rig`) has them all.
 */
export async function linkChats(
  rig: Rig,
  service: Pick<StartedNotification, 'orm'>,
  chats: { chatId?: number; languageCode?: string; userId?: string }[],
): Promise<LinkedChat[]> {
  const linked = chats.map(
    ({ chatId = randomInt(1, 2 ** 40), userId = crypto.randomUUID(), languageCode }) => ({
      userId,
      chatId,
      event: createEvent('user.telegram_linked', {
        userId,
        telegramId: chatId,
        ...(languageCode ? { languageCode } : {}),
      }),
    }),
  );
  for (let i = 0; i < linked.length; i += 200)
    await rig.publish(...linked.slice(i, i + 200).map((one) => one.event));
  await eventually(async () => {
    const [row] = await service.orm.em
      .fork()
      .execute<{ count: string }[]>('select count(*) from recipients where user_id in (?)', [
        linked.map((one) => one.userId),
      ]);
    expect(Number(row?.count)).toBe(linked.length);
  }, 30_000);
  return linked.map(({ userId, chatId }) => ({ userId, chatId }));
}

/** POST /admin/announcements as `token`. */
export function announce(
  service: Pick<StartedNotification, 'app'>,
  token: string | undefined,
  body: unknown,
  /** null: none sent. */
  idempotencyKey: string | null = crypto.randomUUID(),
) {
  return requestJson(service.app, 'POST', '/admin/announcements', body, {
    ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
    ...(idempotencyKey === null ? {} : { 'Idempotency-Key': idempotencyKey }),
  });
}

/** GET /admin/announcements/:id as `token`. */
export async function progressOf(service: Pick<StartedNotification, 'app'>, token: string, id: number) {
  const res = await requestJson(service.app, 'GET', `/admin/announcements/${id}`, undefined, {
    Authorization: `Bearer ${token}`,
  });
  expect(res.status).toBe(200);
  return (await res.json()) as AnnouncementView;
}

/** Waits until the announcement is `done`, and returns it. */
export const finished = (
  service: Pick<StartedNotification, 'app'>,
  token: string,
  id: number,
  timeoutMs = 20_000,
) =>
  eventually(async () => {
    const view = await progressOf(service, token, id);
    expect(view.status).toBe('done');
    return view;
  }, timeoutMs);
