import { AppError, notFound, type ServiceApp } from '@shop/shared';
import { requestPrivate } from '../net/private-network.ts';
import type { World } from '../world/index.ts';

const FETCH_TIMEOUT_MS = 10_000;

/**
 * `GET /sandbox/files/:fileId`: the photos the bot sent. Uploads come from memory; a photo sent
 * by URL is fetched here, as Telegram would have, so the page never loads anything remote.
 */
export function registerFiles(app: ServiceApp, world: World): void {
  app.get('/sandbox/files/:fileId', async (c) => {
    const file = world.files.get(c.req.param('fileId'));
    if (!file) throw notFound('File');
    c.header('Cache-Control', 'private, max-age=86400, immutable');
    if (file.bytes) {
      return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': file.contentType ?? 'application/octet-stream',
      });
    }
    if (!file.url) throw notFound('File');
    // Only this machine and its private networks: the page must not make the sandbox fetch anything else.
    const response = await requestPrivate(new URL(file.url), {
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    }).catch(() => undefined);
    const type = response?.headers['content-type'] ?? '';
    if (response?.status !== 200 || !type.startsWith('image/')) {
      throw new AppError(404, 'photo_unavailable', 'The photo URL did not answer with an image');
    }
    return c.body(new Uint8Array(response.body), 200, { 'Content-Type': type });
  });
}
