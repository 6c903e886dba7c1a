import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '@shop/shared';
import { demoPicture } from '../images/demo-pictures.ts';
import { bumpCacheVersion } from '../store/catalog-state.ts';
import { searchTextOf } from '../domain/text.ts';
import { Category, Product, ProductImage } from './entities.ts';
import { SHOP_CURRENCY, seedCategories, seedProducts } from './seed-data.ts';

/** Gives each product its demo picture; `index` is its place in `seedProducts`. */
async function addDemoPictures(
  tx: EntityManager,
  products: readonly { product: Product; index: number }[],
): Promise<void> {
  const pictured = await Promise.all(
    products.map(async ({ product, index }) => ({
      product,
      picture: await demoPicture(seedProducts[index]?.category ?? '', index),
    })),
  );
  for (const { product, picture } of pictured) {
    const { version, contentType, width, height, bytes } = picture;
    tx.create(ProductImage, { product, version, contentType, width, height, bytes });
  }
  await tx.flush();
}

/**
 * A catalog seeded before products had photos, where no photo was ever uploaded: its demo
 * products that are still there get their pictures. Found by their English names.
 */
async function pictureEarlierDemo(tx: EntityManager): Promise<number> {
  if ((await tx.count(ProductImage, {})) > 0) return 0;
  const indexByName = new Map(seedProducts.map((product, index) => [product.en[0], index]));
  const products = await tx.find(Product, { nameEn: { $in: [...indexByName.keys()] }, deletedAt: null });
  const found = products.map((product) => ({ product, index: indexByName.get(product.nameEn) ?? 0 }));
  if (found.length > 0) await addDemoPictures(tx, found);
  return found.length;
}

/**
 * Fills an empty catalog with the demo data, a picture for every product included. Idempotent:
 * it does nothing once any category exists (but see `pictureEarlierDemo`), and an advisory lock
 * makes replicas that start together seed it once.
 */
export async function seedCatalog(em: EntityManager, logger: Logger): Promise<boolean> {
  const seeded = await em.transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtext('catalog.seed'))`);
    if ((await tx.count(Category, {})) > 0) {
      const pictured = await pictureEarlierDemo(tx);
      if (pictured === 0) return false;
      await bumpCacheVersion(tx);
      logger.info({ products: pictured }, 'gave the demo products their pictures');
      return false;
    }
    const categories = new Map(
      seedCategories.map((category, position) => [
        category.slug,
        tx.create(Category, { slug: category.slug, nameEn: category.en, nameRu: category.ru, position }),
      ]),
    );
    const created = seedProducts.map((product, index) => {
      const category = categories.get(product.category);
      if (!category)
        throw new Error(`seed product ${product.en[0]} names unknown category ${product.category}`);
      const fields = {
        nameEn: product.en[0],
        descriptionEn: product.en[1],
        nameRu: product.ru[0],
        descriptionRu: product.ru[1],
      };
      const row = tx.create(Product, {
        ...fields,
        category,
        searchText: searchTextOf(fields),
        priceCents: product.priceCents,
        currency: product.currency ?? SHOP_CURRENCY,
        stock: product.stock,
      });
      return { product: row, index };
    });
    await tx.flush();
    await addDemoPictures(tx, created);
    await bumpCacheVersion(tx);
    return true;
  });
  if (seeded) {
    logger.info(
      { categories: seedCategories.length, products: seedProducts.length },
      'seeded the demo catalog',
    );
  }
  return seeded;
}
