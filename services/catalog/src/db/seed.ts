import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '@shop/shared';
import { bumpCacheVersion } from '../store/catalog-state.ts';
import { searchTextOf } from '../domain/text.ts';
import { Category, Product } from './entities.ts';
import { SHOP_CURRENCY, seedCategories, seedProducts } from './seed-data.ts';

/**
 * Fills an empty catalog with the demo data. Idempotent: it does nothing once any category
 * exists, and an advisory lock makes replicas that start together seed it once.
 */
export async function seedCatalog(em: EntityManager, logger: Logger): Promise<boolean> {
  const seeded = await em.transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtext('catalog.seed'))`);
    if ((await tx.count(Category, {})) > 0) return false;
    const categories = new Map(
      seedCategories.map((category, position) => [
        category.slug,
        tx.create(Category, { slug: category.slug, nameEn: category.en, nameRu: category.ru, position }),
      ]),
    );
    for (const product of seedProducts) {
      const category = categories.get(product.category);
      if (!category)
        throw new Error(`seed product ${product.en[0]} names unknown category ${product.category}`);
      const fields = {
        nameEn: product.en[0],
        descriptionEn: product.en[1],
        nameRu: product.ru[0],
        descriptionRu: product.ru[1],
      };
      tx.create(Product, {
        ...fields,
        category,
        searchText: searchTextOf(fields),
        priceCents: product.priceCents,
        currency: SHOP_CURRENCY,
        stock: product.stock,
      });
    }
    await tx.flush();
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
