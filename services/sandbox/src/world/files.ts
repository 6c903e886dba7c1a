import { randomBytes } from 'node:crypto';

/** A file in the world: uploaded bytes (a bot's or a user's), or a URL Telegram would have downloaded. */
export interface StoredFile {
  fileId: string;
  fileUniqueId: string;
  /** Where `getFile` says it is: `<root>/file/bot<token>/<filePath>` downloads it. */
  filePath: string;
  bytes?: Uint8Array;
  contentType?: string;
  url?: string;
  /** A document's name, as its sender gave it. */
  fileName?: string;
}

const id = (prefix: string, bytes: number) => prefix + randomBytes(bytes).toString('base64url');
const extensions: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/gif': '.gif',
  'image/webp': '.webp',
};

/** Files by file_id and by file_path, so a photo can be sent again by id, downloaded and shown in the web chat. */
export class Files {
  readonly #byId = new Map<string, StoredFile>();
  readonly #byPath = new Map<string, StoredFile>();

  add(
    source: { bytes: Uint8Array; contentType?: string; fileName?: string } | { url: string },
    folder: 'photos' | 'documents' = 'photos',
  ): StoredFile {
    const fileUniqueId = id('AQAD', 9);
    const extension = 'contentType' in source ? (extensions[source.contentType ?? ''] ?? '') : '';
    const file: StoredFile = {
      fileId: id('AgAC', 30),
      fileUniqueId,
      filePath: `${folder}/file_${fileUniqueId}${extension}`,
      ...source,
    };
    this.#byId.set(file.fileId, file);
    this.#byPath.set(file.filePath, file);
    return file;
  }

  get(fileId: string): StoredFile | undefined {
    return this.#byId.get(fileId);
  }

  atPath(filePath: string): StoredFile | undefined {
    return this.#byPath.get(filePath);
  }

  clear(): void {
    this.#byId.clear();
    this.#byPath.clear();
  }
}
