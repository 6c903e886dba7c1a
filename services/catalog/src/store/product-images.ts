import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '@shop/shared';
import { Product, ProductImage } from '../db/entities.ts';
import type { PreparedImage } from '../images/prepare-image.ts';
import { write, type AdminDeps } from './product-admin.ts';

/** A stored photo as `GET /products/:id/image` sends it; `bytes` is null when the client's copy is current. */
export interface StoredImage {
  version: string;
  contentType: string;
  bytes: Buffer | null;
}

/**
 * Sets a product's photo, replacing any earlier one, in one admin write: the cache version is
 * bumped with it, so the product's JSON shows the new `imageUrl` as soon as this returns.
 */
export function saveProductImage(deps: AdminDeps, id: number, image: PreparedImage): Promise<void> {
  return write(deps, async (tx) => {
    // Locked: a delete committing meanwhile would leave a photo on a deleted product.
    const product = await tx.findOne(
      Product,
      { id, deletedAt: null },
      { lockMode: LockMode.PESSIMISTIC_WRITE, fields: ['id'] },
    );
    if (!product) throw notFound(`Product ${id}`);
    await tx.upsert(ProductImage, {
      product: id,
      version: image.version,
      contentType: image.contentType,
      width: image.width,
      height: image.height,
      bytes: image.bytes,
      updatedAt: new Date(),
    });
  });
}

/**
 * The photo of a product that exists, or null. The bytes are left out when `current` (versions
 * without commas: the client's If-None-Match) names the stored one, so a 304 reads none of them.
 */
export async function readProductImage(
  em: EntityManager,
  id: number,
  current: readonly string[],
): Promise<StoredImage | null> {
  const [row] = await em.fork().execute<{ version: string; contentType: string; bytes: Buffer | null }[]>(
    `select i.version, i.content_type as "contentType",
       case when i.version = any(string_to_array(?, ',')) then null else i.bytes end as bytes
     from product_images i join products p on p.id = i.product_id
     where i.product_id = ? and p.deleted_at is null`,
    [current.join(','), id],
  );
  return row ?? null;
}
