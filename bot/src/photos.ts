import { InputFile } from 'grammy';
import type { Dependencies } from './context.ts';
import type { ViewPhoto } from './ui.ts';

// Telegram keeps files for good; the key only has to outlive the photo's version for a while.
const FILE_ID_TTL_SECONDS = 90 * 86_400;

export type ProductPhotos = (imageUrl: string | null) => ViewPhoto | undefined;

/**
 * Product photos for views. Each photo version (its `imageUrl`, which carries the version) is
 * uploaded to Telegram once: the file_id Telegram answers with is kept in Redis and sent
 * instead of the bytes from then on, by every replica. The bytes come from the catalog only
 * when Telegram has no file_id for that version yet.
 */
export function createProductPhotos({
  redis,
  keyPrefix,
  catalog,
  logger,
}: Pick<Dependencies, 'redis' | 'keyPrefix' | 'catalog' | 'logger'>): ProductPhotos {
  return (imageUrl) => {
    if (!imageUrl) return undefined;
    const key = `${keyPrefix}photo:${imageUrl}`;
    let stale = false;
    const warn = (error: unknown, message: string) => logger.warn({ err: error, imageUrl }, message);
    return {
      async media() {
        if (!stale) {
          const fileId = await redis.get(key).catch((error: unknown) => {
            warn(error, 'could not read a photo file_id; uploading the photo');
            return null;
          });
          if (fileId) return fileId;
        }
        try {
          return new InputFile(await catalog.image(imageUrl), 'photo.jpg');
        } catch (error) {
          warn(error, 'product photo unavailable; showing the text alone');
          return undefined;
        }
      },
      async remember(fileId) {
        await redis.set(key, fileId, 'EX', FILE_ID_TTL_SECONDS).catch((error: unknown) => {
          warn(error, 'could not keep a photo file_id; it will be uploaded again');
        });
      },
      async forget() {
        stale = true;
        await redis.del(key).catch((error: unknown) => warn(error, 'could not drop a photo file_id'));
      },
    };
  };
}
