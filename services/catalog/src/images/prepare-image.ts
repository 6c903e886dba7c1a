import { hash } from 'node:crypto';
import { AppError, badRequest } from '@shop/shared';
import sharp, { type Metadata, type Sharp } from 'sharp';
import {
  ACCEPTED_IMAGE_FORMATS,
  dimensionProblem,
  MAX_IMAGE_PIXELS,
  STORED_IMAGE_SIDE,
} from '../domain/images.ts';

/** A photo as the catalog stores and serves it. */
export interface PreparedImage {
  bytes: Buffer;
  contentType: 'image/jpeg';
  width: number;
  height: number;
  /** A hash of `bytes`: the ETag and the `?v=` of the photo's URL. */
  version: string;
}

const unsupported = () =>
  new AppError(415, 'unsupported_media_type', 'The file is not a JPEG, PNG or WebP image');
const unreadable = () =>
  badRequest('invalid_image', 'The image could not be read: the file is damaged or incomplete');

/**
 * Stored form of any picture: turned upright, fitted inside STORED_IMAGE_SIDE², transparency on
 * white, JPEG (every browser and Telegram's sendPhoto take it), metadata (EXIF, GPS) dropped.
 */
export async function encodeForStorage(pipeline: Sharp): Promise<PreparedImage> {
  const { data, info } = await pipeline
    .rotate()
    .resize(STORED_IMAGE_SIDE, STORED_IMAGE_SIDE, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 82 })
    .toBuffer({ resolveWithObject: true });
  return {
    bytes: data,
    contentType: 'image/jpeg',
    width: info.width,
    height: info.height,
    version: hash('sha256', data, 'base64url').slice(0, 22),
  };
}

/**
 * An uploaded image, checked by its content (never by a header or a file name) and resized:
 * not JPEG, PNG or WebP is a 415; absurd dimensions (a 1×100000 strip, a small file that would
 * inflate to gigabytes) are a 400 before anything is decoded; a damaged or truncated file is a 400.
 */
export async function prepareImage(input: Buffer): Promise<PreparedImage> {
  if (input.length === 0) throw badRequest('empty_body', 'The request body is empty: send the image file');
  let metadata: Metadata;
  try {
    // The header only: dimensions are judged below, with a clearer answer than sharp's own limit.
    metadata = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (error) {
    if (error instanceof Error && /unsupported image format/i.test(error.message)) throw unsupported();
    throw unreadable();
  }
  if (!ACCEPTED_IMAGE_FORMATS.includes(metadata.format)) throw unsupported();
  const problem = dimensionProblem(metadata.width, metadata.height);
  if (problem) throw badRequest('invalid_image_dimensions', `The image is unusable: ${problem}`);
  try {
    const options = { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'truncated' } as const;
    return await encodeForStorage(sharp(input, options));
  } catch {
    throw unreadable();
  }
}
