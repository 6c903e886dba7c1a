import { randomBytes } from 'node:crypto';

/** A file the bot sent: uploaded bytes, or a URL Telegram would have downloaded. */
export interface StoredFile {
  fileId: string;
  fileUniqueId: string;
  bytes?: Uint8Array;
  contentType?: string;
  url?: string;
}

const id = (prefix: string, bytes: number) => prefix + randomBytes(bytes).toString('base64url');

/** Files by file_id, so a photo can be sent again by id and shown in the web chat. */
export class Files {
  readonly #byId = new Map<string, StoredFile>();

  add(source: { bytes: Uint8Array; contentType?: string } | { url: string }): StoredFile {
    const file: StoredFile = { fileId: id('AgAC', 30), fileUniqueId: id('AQAD', 9), ...source };
    this.#byId.set(file.fileId, file);
    return file;
  }

  get(fileId: string): StoredFile | undefined {
    return this.#byId.get(fileId);
  }

  clear(): void {
    this.#byId.clear();
  }
}
