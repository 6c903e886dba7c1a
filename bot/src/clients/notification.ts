import { z } from 'zod';
import { bearer, createHttpClient, type HttpClientOptions } from './http.ts';

const announcementSchema = z.object({
  id: z.number().int(),
  status: z.enum(['sending', 'done']),
  total: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  left: z.number().int(),
});
export type Announcement = z.infer<typeof announcementSchema>;

/** What an admin announces: a text, or a photo (the file_id Telegram gave the bot) with an optional caption. */
export type AnnouncementDraft = { text: string } | { photoFileId: string; text?: string };

/** The notification service's routes the bot uses (services/notification). */
export interface NotificationClient {
  /**
   * `POST /admin/announcements` with the admin's token: sent to every buyer with a chat. The same
   * `idempotencyKey` again returns the announcement made first and sends nothing more.
   */
  announce(accessToken: string, draft: AnnouncementDraft, idempotencyKey: string): Promise<Announcement>;
  ping(): Promise<void>;
}

export function createNotificationClient(options: Omit<HttpClientOptions, 'service'>): NotificationClient {
  const http = createHttpClient({ ...options, service: 'notification' });
  return {
    announce: (accessToken, draft, idempotencyKey) =>
      http.json(announcementSchema, '/admin/announcements', {
        method: 'POST',
        body: draft,
        headers: { ...bearer(accessToken), 'Idempotency-Key': idempotencyKey },
      }),
    ping: () => http.empty('/health'),
  };
}
