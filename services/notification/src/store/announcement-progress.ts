import type { ServiceEntityManager } from '@shop/shared';
import { getAnnouncement, type AnnouncementView } from './announcements.ts';

/** An announcement still sending, with what its admin has been shown of it. */
export interface ProgressState {
  counts: AnnouncementView;
  /** The admin's chat, once known (their linked chat; the one the progress went to, once posted). */
  chatId: number | null;
  languageCode: string | null;
  posted: boolean;
  messageId: number | null;
  shown: string | null;
}

/** The ids of announcements still sending, oldest first. */
export async function announcementsSending(em: ServiceEntityManager, limit: number): Promise<number[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select id from announcements where status = 'sending' order by id limit ?`,
    [limit],
    'all',
  );
  return rows.map((row) => Number(row.id));
}

export async function progressState(em: ServiceEntityManager, id: number): Promise<ProgressState> {
  const counts = await getAnnouncement(em, id);
  const [row] = await em.execute<
    {
      progress_posted: boolean;
      progress_chat_id: string | null;
      progress_message_id: string | null;
      progress_shown: string | null;
      telegram_id: string | null;
      language_code: string | null;
    }[]
  >(
    `select a.progress_posted, a.progress_chat_id, a.progress_message_id, a.progress_shown, r.telegram_id, r.language_code
     from announcements a left join recipients r on r.user_id = a.admin_user_id where a.id = ?`,
    [id],
    'all',
  );
  const chat = row?.progress_chat_id ?? row?.telegram_id ?? null;
  return {
    counts,
    chatId: chat === null ? null : Number(chat),
    languageCode: row?.language_code ?? null,
    posted: row?.progress_posted ?? false,
    messageId: row?.progress_message_id ? Number(row.progress_message_id) : null,
    shown: row?.progress_shown ?? null,
  };
}

/**
 * Takes the one posting of the progress message (true for one caller only, ever): committed
 * before the message is sent, so a replica or a restart never posts a second one.
 */
export async function claimProgressPost(
  em: ServiceEntityManager,
  id: number,
  chatId: number,
  text: string,
): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(
    `update announcements set progress_posted = true, progress_chat_id = ?, progress_shown = ?
     where id = ? and not progress_posted returning id`,
    [chatId, text, id],
    'all',
  );
  return rows.length > 0;
}

export async function saveProgressMessage(em: ServiceEntityManager, id: number, messageId: number) {
  await em.execute('update announcements set progress_message_id = ? where id = ?', [messageId, id], 'run');
}

/** Takes the edit to `text` (true for one caller per new text): replicas do not edit twice. */
export async function claimProgressEdit(
  em: ServiceEntityManager,
  id: number,
  text: string,
): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(
    `update announcements set progress_shown = ? where id = ? and progress_shown is distinct from ? returning id`,
    [text, id, text],
    'all',
  );
  return rows.length > 0;
}

/** Marks the announcement done if nothing is left to send (true for one caller only). */
export async function finishAnnouncement(em: ServiceEntityManager, id: number): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(
    `update announcements set status = 'done', finished_at = now()
     where id = ? and status = 'sending' and not exists (
       select 1 from announcement_deliveries where announcement_id = ? and status in ('pending', 'sending'))
     returning id`,
    [id, id],
    'all',
  );
  return rows.length > 0;
}
