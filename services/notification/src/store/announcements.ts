import { createHash } from 'node:crypto';
import { AppError, notFound, type ServiceEntityManager } from '@shop/shared';
import type { AnnouncementStatus } from '../db/entities.ts';
import type { MessageContent } from '../telegram/client.ts';

/** What an admin asked to announce: a text, or a photo (this bot's file_id) with an optional caption. */
export interface AnnouncementRequest {
  text?: string | undefined;
  photoFileId?: string | undefined;
}

/** An announcement and how far it got; `failed` includes the `blocked` chats. */
export interface AnnouncementView {
  id: number;
  status: AnnouncementStatus;
  text: string | null;
  photoFileId: string | null;
  total: number;
  sent: number;
  failed: number;
  blocked: number;
  left: number;
  createdAt: string;
  finishedAt: string | null;
}

interface AnnouncementRow {
  id: string;
  status: AnnouncementStatus;
  text: string | null;
  photo_file_id: string | null;
  total: number;
  created_at: Date | string;
  finished_at: Date | string | null;
  sent: string;
  blocked: string;
  failed: string;
}

const WITH_COUNTS = `
  select a.id, a.status, a.text, a.photo_file_id, a.total, a.created_at, a.finished_at,
    count(*) filter (where d.status = 'sent') as sent,
    count(*) filter (where d.status = 'blocked') as blocked,
    count(*) filter (where d.status = 'failed') as failed
  from announcements a left join announcement_deliveries d on d.announcement_id = a.id
  where a.id = ? group by a.id`;

function viewOf(row: AnnouncementRow): AnnouncementView {
  const [sent, blocked, failed] = [Number(row.sent), Number(row.blocked), Number(row.failed)];
  return {
    id: Number(row.id),
    status: row.status,
    text: row.text,
    photoFileId: row.photo_file_id,
    total: row.total,
    sent,
    failed: failed + blocked,
    blocked,
    left: row.total - sent - failed - blocked,
    createdAt: new Date(row.created_at).toISOString(),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at).toISOString(),
  };
}

/** The announcement with its counts, or 404. */
export async function getAnnouncement(em: ServiceEntityManager, id: number): Promise<AnnouncementView> {
  const [row] = await em.execute<AnnouncementRow[]>(WITH_COUNTS, [id], 'all');
  if (!row) throw notFound(`Announcement ${id}`);
  return viewOf(row);
}

const hashOf = ({ text, photoFileId }: AnnouncementRequest) =>
  createHash('sha256')
    .update(JSON.stringify([text ?? null, photoFileId ?? null]))
    .digest('hex');

/**
 * Records an announcement and one `pending` delivery for every chat known now that has not
 * blocked the bot (the author's own excepted: they saw the preview), in one transaction. The
 * admin's Idempotency-Key decides: a repeat (a double tap, a retried request) gets the
 * announcement made first and makes nothing, even when both arrive at once (the unique key
 * makes the second wait for the first's commit); the same key with another body is 422.
 */
export async function createAnnouncement(
  em: ServiceEntityManager,
  adminUserId: string,
  idempotencyKey: string,
  request: AnnouncementRequest,
): Promise<{ view: AnnouncementView; created: boolean }> {
  const requestHash = hashOf(request);
  return em.transactional(async (tx) => {
    const [inserted] = await tx.execute<{ id: string }[]>(
      `insert into announcements (admin_user_id, idempotency_key, request_hash, text, photo_file_id, total)
       values (?, ?, ?, ?, ?, 0) on conflict (admin_user_id, idempotency_key) do nothing returning id`,
      [adminUserId, idempotencyKey, requestHash, request.text ?? null, request.photoFileId ?? null],
      'all',
    );
    if (!inserted) {
      const [earlier] = await tx.execute<{ id: string; request_hash: string }[]>(
        'select id, request_hash from announcements where admin_user_id = ? and idempotency_key = ?',
        [adminUserId, idempotencyKey],
        'all',
      );
      if (!earlier || earlier.request_hash !== requestHash) {
        throw new AppError(
          422,
          'idempotency_key_reused',
          'This Idempotency-Key was already used with another announcement',
        );
      }
      return { view: await getAnnouncement(tx, Number(earlier.id)), created: false };
    }
    const id = Number(inserted.id);
    const { affectedRows } = await tx.execute<{ affectedRows: number }>(
      `insert into announcement_deliveries (announcement_id, user_id, chat_id)
       select ?, user_id, telegram_id from recipients where unreachable_at is null and user_id <> ?`,
      [id, adminUserId],
      'run',
    );
    await tx.execute('update announcements set total = ? where id = ?', [affectedRows, id], 'run');
    return { view: await getAnnouncement(tx, id), created: true };
  });
}

/** A buyer's copy of an announcement, claimed for sending (committed as `sending`). */
export interface AnnouncementDelivery {
  kind: 'announcement';
  announcementId: number;
  userId: string;
  chatId: number;
  content: MessageContent;
}

const CLAIM = `
  with due as (
    select announcement_id, user_id from announcement_deliveries
    where status = 'pending' order by announcement_id, user_id limit ?
    for update skip locked)
  update announcement_deliveries d set status = 'sending', claimed_at = now()
  from due, announcements a
  where d.announcement_id = due.announcement_id and d.user_id = due.user_id and a.id = d.announcement_id
  returning d.announcement_id, d.user_id, d.chat_id, a.text, a.photo_file_id`;

/**
 * Claims up to `limit` pending deliveries, oldest announcement first; several senders never take
 * the same one (SKIP LOCKED). The caller's transaction commits them as `sending`.
 */
export async function claimAnnouncementDeliveries(
  em: ServiceEntityManager,
  limit: number,
): Promise<AnnouncementDelivery[]> {
  if (limit < 1) return [];
  const rows = await em.execute<
    {
      announcement_id: string;
      user_id: string;
      chat_id: string;
      text: string | null;
      photo_file_id: string | null;
    }[]
  >(CLAIM, [limit], 'all');
  return rows.map((row) => ({
    kind: 'announcement',
    announcementId: Number(row.announcement_id),
    userId: row.user_id,
    chatId: Number(row.chat_id),
    content: row.photo_file_id ? { photo: row.photo_file_id, caption: row.text } : { text: row.text ?? '' },
  }));
}
