import { Api, type ApiClientOptions } from 'grammy';

/** Telegram lets bots download files of at most 20 MB. */
export const TELEGRAM_DOWNLOAD_MAX_BYTES = 20 * 1024 * 1024;
const DOWNLOAD_TIMEOUT_MS = 30_000;

/** A file Telegram would not give the bot (gone, too big, or the file server failed). */
export class TelegramFileError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TelegramFileError';
  }
}

/**
 * Downloads files users sent the bot: `getFile`, then `<apiRoot>/file/bot<token>/<file_path>`,
 * through the same API root and fetch as the bot's Bot API calls (TELEGRAM_API_ROOT, or the
 * sandbox; a fake in tests).
 */
export function createTelegramFiles(token: string, client: ApiClientOptions = {}) {
  const api = new Api(token, client);
  const root = client.apiRoot ?? 'https://api.telegram.org';
  // grammY types its `fetch` option through a shim the linter cannot resolve; it is the platform's fetch.
  const fetchFile = (client.fetch as unknown as typeof fetch | undefined) ?? fetch;
  return {
    async download(fileId: string): Promise<Uint8Array> {
      let filePath: string | undefined;
      try {
        ({ file_path: filePath } = await api.getFile(fileId));
      } catch (error) {
        throw new TelegramFileError('getFile failed', { cause: error });
      }
      if (!filePath) throw new TelegramFileError('getFile gave no file_path');
      const url = `${root}/file/bot${token}/${filePath}`;
      let response: Response;
      try {
        response = await fetchFile(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
      } catch (error) {
        throw new TelegramFileError('the download failed', { cause: error });
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new TelegramFileError(`the file server answered ${response.status}`);
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.byteLength > TELEGRAM_DOWNLOAD_MAX_BYTES) throw new TelegramFileError('the file is too big');
      return bytes;
    },
  };
}

export type TelegramFiles = ReturnType<typeof createTelegramFiles>;
