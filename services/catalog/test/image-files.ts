import { crc32 } from 'node:zlib';
import sharp from 'sharp';

/** Pictures made here for the tests: nothing is downloaded. */
const solid = (width: number, height: number, alpha = false) =>
  sharp({
    create: {
      width,
      height,
      channels: alpha ? 4 : 3,
      background: alpha ? { r: 200, g: 40, b: 40, alpha: 0.5 } : { r: 40, g: 120, b: 200 },
    },
  });

export const jpegOf = (width: number, height: number) => solid(width, height).jpeg().toBuffer();
export const pngOf = (width: number, height: number, alpha = false) =>
  solid(width, height, alpha).png().toBuffer();
export const webpOf = (width: number, height: number) => solid(width, height).webp().toBuffer();
export const gifOf = (width: number, height: number) => solid(width, height).gif().toBuffer();
export const svgPicture = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect width="100" height="100" fill="red"/></svg>',
);

/** A PNG of noise (it does not compress), cut in half: its header is whole, its pixels are not. */
export async function truncatedPng(): Promise<Buffer> {
  const width = 300;
  const height = 300;
  const noise = Buffer.alloc(width * height * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251;
  const png = await sharp(noise, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
  return png.subarray(0, Math.floor(png.length / 2));
}

/**
 * A decompression bomb's calling card: a valid tiny PNG whose header claims `width`×`height`
 * (the IHDR chunk rewritten, its CRC recomputed).
 */
export async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await pngOf(8, 8));
  // Signature (8 bytes), then IHDR: length (4), type (4), width (4), height (4), ..., CRC.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

/** What sharp reads from stored bytes. */
export const pictureOf = async (bytes: Buffer | ArrayBuffer) => {
  const { format, width, height } = await sharp(Buffer.from(bytes as ArrayBuffer)).metadata();
  return { format, width, height };
};
