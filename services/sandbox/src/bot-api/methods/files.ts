import type { File } from 'grammy/types';
import type { Method } from '../context.ts';
import { badRequest } from '../errors.ts';

/** Telegram lets bots download files of at most 20 MB. */
export const BOT_DOWNLOAD_MAX_BYTES = 20 * 1024 * 1024;

/** getFile: where a file the bot was sent (or sent itself) can be downloaded, as Telegram answers it. */
export const getFile: Method = ({ world, params }): File => {
  const fileId = params.string('file_id');
  if (!fileId) throw badRequest('file_id not specified');
  const file = world.files.get(fileId);
  if (!file?.bytes) throw badRequest('wrong file_id or the file is temporarily unavailable');
  if (file.bytes.byteLength > BOT_DOWNLOAD_MAX_BYTES) throw badRequest('file is too big');
  return {
    file_id: file.fileId,
    file_unique_id: file.fileUniqueId,
    file_size: file.bytes.byteLength,
    file_path: file.filePath,
  };
};
