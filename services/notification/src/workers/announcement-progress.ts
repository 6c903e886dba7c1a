import { startPeriodicTask, type Orm, type ServiceKit } from '@shop/shared';
import { finalText, progressText } from '../domain/announcement-texts.ts';
import {
  announcementsSending,
  claimProgressEdit,
  claimProgressPost,
  finishAnnouncement,
  progressState,
  saveProgressMessage,
} from '../store/announcement-progress.ts';
import type { TelegramClient } from '../telegram/client.ts';

export interface AnnouncementProgressOptions {
  orm: Orm;
  client: TelegramClient;
  /** How often the admin's progress message is brought up to date. */
  intervalMs: number;
}

/** Announcements looked at per round; more wait for the next. */
const BATCH = 20;

/**
 * Keeps each announcing admin told, in their language, in their linked chat: one progress message
 * (sent / failed / left) posted once the announcement is under way and edited every `intervalMs`
 * while the numbers change, and a final count posted once nothing is left to send. Safe with
 * several replicas: each post, edit and the finish are taken by one of them in PostgreSQL first
 * (at most once each; a replica dying in between leaves that one message unsent). Its calls go
 * through the same paced client as the buyers' messages.
 */
export function startAnnouncementProgress(
  kit: ServiceKit,
  { orm, client, intervalMs }: AnnouncementProgressOptions,
) {
  const log = kit.logger.child({ component: 'announcement-progress' });

  const report = async (id: number) => {
    const em = orm.em.fork();
    const state = await progressState(em, id);
    const { counts, chatId, languageCode } = state;
    const text = progressText(counts, languageCode);
    if (chatId !== null && counts.left > 0 && !state.posted) {
      if (await claimProgressPost(em, id, chatId, text)) {
        const outcome = await client.send(chatId, { text });
        if (outcome.status === 'sent' && outcome.messageId !== null)
          await saveProgressMessage(em, id, outcome.messageId);
        else log.warn({ announcementId: id, outcome }, 'cannot post the announcement progress');
      }
    } else if (chatId !== null && state.messageId !== null && text !== state.shown) {
      if (await claimProgressEdit(em, id, text)) await client.editText(chatId, state.messageId, text);
    }
    if (counts.left > 0 || !(await finishAnnouncement(em, id))) return;
    log.info({ announcementId: id, ...counts }, 'announcement finished');
    if (chatId === null) return;
    const outcome = await client.send(chatId, { text: finalText(counts, languageCode) });
    if (outcome.status !== 'sent') log.warn({ announcementId: id, outcome }, 'cannot post the final count');
  };

  startPeriodicTask(kit, {
    name: 'announcement progress',
    intervalMs,
    run: async () => {
      for (const id of await announcementsSending(orm.em.fork(), BATCH)) await report(id);
    },
  });
}
