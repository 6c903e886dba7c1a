/** The contract's limit on an uploaded image's size. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** Longest side accepted: no camera makes more, and decoding more costs time for nothing. */
export const MAX_IMAGE_SIDE = 10_000;
/** Telegram refuses a photo one of whose sides is more than 20 times the other; resizing keeps the ratio. */
export const MAX_IMAGE_RATIO = 20;
/** Decoded pixels at most: a small file that would inflate to gigabytes is refused before decoding. */
export const MAX_IMAGE_PIXELS = 40_000_000;
/** Stored photos fit inside a square of this side; smaller ones are not enlarged. */
export const STORED_IMAGE_SIDE = 800;
/** The formats an upload may be in, as sharp names them (read from the bytes, never from a header). */
export const ACCEPTED_IMAGE_FORMATS: readonly string[] = ['jpeg', 'png', 'webp'];

/** Why these dimensions make no product photo, or undefined when they do. */
export function dimensionProblem(width: number, height: number): string | undefined {
  if (!(width >= 1 && height >= 1)) return 'the image has no size';
  if (Math.max(width, height) > MAX_IMAGE_SIDE)
    return `${width}×${height} is too large: each side must be at most ${MAX_IMAGE_SIDE} pixels`;
  if (width * height > MAX_IMAGE_PIXELS) return `${width}×${height} has more than ${MAX_IMAGE_PIXELS} pixels`;
  if (Math.max(width / height, height / width) > MAX_IMAGE_RATIO)
    return `${width}×${height} is too narrow: one side may be at most ${MAX_IMAGE_RATIO} times the other`;
  return undefined;
}

/**
 * Where a product's photo is served, relative to the catalog's base URL; the version makes a new
 * photo a new URL, so any cache may keep a fetched one for good.
 */
export const imageUrlOf = (productId: number, version: string | null): string | null =>
  version === null ? null : `/products/${productId}/image?v=${version}`;
