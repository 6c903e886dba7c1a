import type { PhotoSize } from 'grammy/types';
import { privateAddresses } from '../../net/private-network.ts';
import type { StoredFile } from '../../world/files.ts';
import type { World } from '../../world/index.ts';
import { badRequest } from '../errors.ts';
import type { Params } from '../params.ts';

const signatures: [string, (bytes: Uint8Array) => boolean][] = [
  ['image/jpeg', (b) => b[0] === 0xff && b[1] === 0xd8],
  ['image/png', (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47],
  ['image/gif', (b) => String.fromCharCode(...b.subarray(0, 4)) === 'GIF8'],
  ['image/webp', (b) => String.fromCharCode(...b.subarray(8, 12)) === 'WEBP'],
];

/** The image type of uploaded bytes, by their signature (Telegram refuses what is not an image). */
export const imageType = (bytes: Uint8Array) => signatures.find(([, matches]) => matches(bytes))?.[0];

/**
 * A photo given as `value`: an uploaded file (multipart, directly or through an `attach://<name>`
 * that names another part), a file_id the sandbox issued, or an HTTP URL.
 */
export async function photoFromValue(world: World, params: Params, value: unknown): Promise<StoredFile> {
  const attached = typeof value === 'string' && value.startsWith('attach://') ? value.slice(9) : undefined;
  const upload = value instanceof File ? value : attached === undefined ? undefined : params.file(attached);
  if (attached !== undefined && !upload) throw badRequest('wrong file identifier/HTTP URL specified');
  if (upload) {
    const bytes = new Uint8Array(await upload.arrayBuffer());
    const contentType = imageType(bytes);
    if (!contentType) throw badRequest('IMAGE_PROCESS_FAILED');
    return world.files.add({ bytes, contentType });
  }
  if (typeof value !== 'string' || value === '') throw badRequest('there is no photo in the request');
  const known = world.files.get(value);
  if (known) return known;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
    throw badRequest('wrong file identifier/HTTP URL specified');
  // The web chat fetches it later through the sandbox: only from this machine or its private networks.
  const reachable = await privateAddresses(new URL(value).hostname).then(
    () => true,
    () => false,
  );
  if (!reachable) throw badRequest('failed to get HTTP URL content');
  return world.files.add({ url: value });
}

/** The `photo` parameter of sendPhoto. */
export const photoFrom = (world: World, params: Params) => photoFromValue(world, params, params.raw.photo);

/** Telegram sends several sizes; the sandbox keeps the original only, at a nominal size. */
export const photoSizes = (file: StoredFile): PhotoSize[] => [
  {
    file_id: file.fileId,
    file_unique_id: file.fileUniqueId,
    width: 800,
    height: 600,
    ...(file.bytes ? { file_size: file.bytes.byteLength } : {}),
  },
];
