import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { messagingEntities } from '@shop/shared';
import { reservationStates, type StockLine } from '../domain/stock.ts';

export const Category = defineEntity({
  name: 'Category',
  tableName: 'categories',
  properties: {
    id: p.integer().primary().autoincrement(),
    slug: p.string().length(64).unique(),
    nameEn: p.string().length(200),
    nameRu: p.string().length(200),
    // Display order in the bot's menu; ties fall back to the id.
    position: p.integer().default(0),
    // Hidden from buyers, with its products: the admin reads still show it.
    hidden: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Category = InferEntity<typeof Category>;

export const Product = defineEntity({
  name: 'Product',
  tableName: 'products',
  properties: {
    id: p.integer().primary().autoincrement(),
    category: () => p.manyToOne(Category).index(),
    nameEn: p.string().length(200),
    nameRu: p.string().length(200),
    descriptionEn: p.text(),
    descriptionRu: p.text(),
    // Both languages' names and descriptions, lower-cased in JS: search works the same whatever
    // the database's collation (ILIKE under the C locale would not fold Cyrillic case).
    searchText: p.text().hidden(),
    priceCents: p.integer().check('price_cents > 0'),
    currency: p.string().length(3),
    // Units on hand, those held for unpaid orders included: what can be bought is stock - reserved.
    stock: p.integer().check('stock >= 0'),
    reserved: p.integer().default(0).check('reserved >= 0 and reserved <= stock'),
    // Hidden from buyers (not listed, not sold) until shown again; the admin reads still show it.
    hidden: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    // Soft delete: order history keeps pointing at the row; every read filters it out.
    deletedAt: p.datetime().nullable(),
  },
});
export type Product = InferEntity<typeof Product>;

/**
 * A product's photo, as stored after resizing (`images/prepare-image.ts`); one per product.
 * `version` is a hash of `bytes`: the ETag, and the `?v=` of `imageUrl`, so a new photo has a new URL.
 */
export const ProductImage = defineEntity({
  name: 'ProductImage',
  tableName: 'product_images',
  properties: {
    product: () => p.oneToOne(Product).primary().deleteRule('cascade'),
    version: p.string().length(64),
    contentType: p.string().length(32),
    width: p.integer(),
    height: p.integer(),
    bytes: p.blob(),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type ProductImage = InferEntity<typeof ProductImage>;

/**
 * One row (id 1): the catalog's cache generation. `version` is bumped in the same transaction as
 * every write, so PostgreSQL, not Redis, says which cached answers are current. `epoch` is new
 * for every database, so a recreated catalog never reads an old database's cache keys.
 */
export const CatalogState = defineEntity({
  name: 'CatalogState',
  tableName: 'catalog_state',
  properties: {
    id: p.integer().primary().autoincrement(false),
    epoch: p.uuid(),
    version: p.bigint('number'),
  },
});
export type CatalogState = InferEntity<typeof CatalogState>;

/**
 * An order's claim on stock (see `ReservationState`): its lines, one per product, and where it
 * stands. Written in the inbox transaction of the event that moved it, so an order is reserved,
 * sold or released once.
 */
export const Reservation = defineEntity({
  name: 'Reservation',
  tableName: 'reservations',
  properties: {
    orderId: p.bigint('number').primary().autoincrement(false),
    lines: p.json<StockLine[]>().nullable(),
    state: p.enum(reservationStates),
    createdAt: p.datetime().defaultRaw('now()'),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});
export type Reservation = InferEntity<typeof Reservation>;

export const entities = [Category, Product, ProductImage, CatalogState, Reservation, ...messagingEntities];
