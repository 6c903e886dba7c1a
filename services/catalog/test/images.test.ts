import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { seedProducts } from '../src/db/seed-data.ts';
import { dimensionProblem } from '../src/domain/images.ts';
import { demoPicture } from '../src/images/demo-pictures.ts';
import { prepareImage } from '../src/images/prepare-image.ts';

describe('image dimensions', () => {
  it('accept a photo and refuse strips, giants and what Telegram would refuse', () => {
    expect(dimensionProblem(4000, 3000)).toBeUndefined();
    expect(dimensionProblem(100, 2000)).toBeUndefined();
    expect(dimensionProblem(1, 100_000)).toMatch(/at most 10000 pixels/);
    expect(dimensionProblem(10_001, 100)).toMatch(/at most 10000 pixels/);
    expect(dimensionProblem(8000, 8000)).toMatch(/more than 40000000 pixels/);
    expect(dimensionProblem(100, 2001)).toMatch(/20 times/);
    expect(dimensionProblem(0, 10)).toBeDefined();
  });
});

describe('prepareImage', () => {
  it('turns a photo upright by its EXIF orientation and keeps none of its metadata (GPS, camera)', async () => {
    // 200×100 as stored, shown rotated a quarter turn: 100×200 upright.
    const photo = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#888' } })
      .withMetadata({ orientation: 6 })
      .withExifMerge({ IFD0: { Make: 'Camera' }, IFD3: { GPSLatitudeRef: 'N' } })
      .jpeg()
      .toBuffer();
    expect((await sharp(photo).metadata()).exif).toBeDefined();

    const stored = await prepareImage(photo);

    const metadata = await sharp(stored.bytes).metadata();
    expect({ width: metadata.width, height: metadata.height }).toEqual({ width: 100, height: 200 });
    expect({ width: stored.width, height: stored.height }).toEqual({ width: 100, height: 200 });
    expect(metadata.exif).toBeUndefined();
    expect(metadata.orientation).toBeUndefined();
  });

  it('gives the same picture the same version and another picture another', async () => {
    const make = (background: string) =>
      sharp({ create: { width: 50, height: 50, channels: 3, background } })
        .png()
        .toBuffer();
    const [a, b, c] = await Promise.all([make('#123456'), make('#123456'), make('#654321')]);
    const [va, vb, vc] = await Promise.all(
      [a, b, c].map(async (bytes) => (await prepareImage(bytes)).version),
    );
    expect(va).toBe(vb);
    expect(vc).not.toBe(va);
  });
});

describe('demo pictures', () => {
  it('are drawn here, a different one for each demo product', async () => {
    const pictures = await Promise.all(
      seedProducts.slice(0, 8).map((product, index) => demoPicture(product.category, index)),
    );
    expect(new Set(pictures.map((picture) => picture.version)).size).toBe(pictures.length);
    expect((await sharp(pictures[0]!.bytes).metadata()).format).toBe('jpeg');
  });
});
