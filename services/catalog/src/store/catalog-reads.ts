import type { EntityManager } from '@mikro-orm/postgresql';
import {
  MAX_ID,
  type CategoryRow,
  type ProductFilter,
  type ProductPage,
  type ProductRow,
} from '../domain/product-views.ts';
import { containsPattern } from '../domain/text.ts';

/**
 * The catalog's reads. Every method is exactly one SQL statement, so counting calls counts
 * PostgreSQL queries (the single-flight tests rely on it). Values are always bound parameters.
 */
export interface CatalogReads {
  listProducts(filter: ProductFilter): Promise<ProductPage>;
  productsByIds(ids: readonly number[]): Promise<ProductRow[]>;
  product(id: number): Promise<ProductRow | null>;
  categories(): Promise<CategoryRow[]>;
}

export const PRODUCT_COLUMNS = `p.id, p.category_id as "categoryId", p.name_en as "nameEn", p.name_ru as "nameRu",
  p.description_en as "descriptionEn", p.description_ru as "descriptionRu", p.price_cents as "priceCents",
  p.currency, p.stock - p.reserved as stock`;
// Only the photo's version: its bytes stay out of line (TOAST) and are never read for product JSON.
export const IMAGE_VERSION = 'i.version as "imageVersion"';
export const WITH_IMAGE = 'left join product_images i on i.product_id = p.id';
/** Products buyers see: not deleted, not hidden, in a category that is not hidden (`c`, joined by `IN_CATEGORY`). */
const IN_CATEGORY = 'join categories c on c.id = p.category_id';
const VISIBLE = 'p.deleted_at is null and not p.hidden and not c.hidden';

type PageRow = Partial<ProductRow> & { total: number; categoryFound: boolean };

export function createCatalogReads(root: EntityManager): CatalogReads {
  const run = <T>(sql: string, params: unknown[] = []) => root.fork().execute<T[]>(sql, params);

  return {
    async listProducts({ categoryId, q, offset, limit }) {
      const where = [VISIBLE];
      const params: unknown[] = [];
      if (categoryId !== undefined) {
        where.push('p.category_id = ?');
        params.push(categoryId);
      }
      if (q !== undefined) {
        where.push(`p.search_text like ? escape '!'`);
        params.push(containsPattern(q));
      }
      const categoryCheck =
        categoryId === undefined ? 'true' : 'exists (select 1 from categories where id = ? and not hidden)';
      if (categoryId !== undefined) params.push(categoryId);
      // One statement for the page, the total and the category check: the left join keeps the
      // totals row when the page itself is empty.
      const rows = await run<PageRow>(
        `with filtered as (select ${PRODUCT_COLUMNS} from products p ${IN_CATEGORY} where ${where.join(' and ')})
         select meta.total, meta."categoryFound", page.*
         from (select (select count(*)::int from filtered) as total, ${categoryCheck} as "categoryFound") meta
         left join (
           select p.*, ${IMAGE_VERSION} from (select * from filtered order by id limit ? offset ?) p ${WITH_IMAGE}
         ) page on true
         order by page.id`,
        [...params, limit, offset],
      );
      const first = rows[0];
      return {
        rows: rows.filter((row): row is PageRow & ProductRow => row.id != null),
        total: first?.total ?? 0,
        categoryFound: first?.categoryFound ?? false,
      };
    },

    productsByIds(ids) {
      // An id outside int4 names nothing; sent to PostgreSQL it would be an error, not "no row".
      const valid = ids.filter((id) => id >= 1 && id <= MAX_ID);
      if (valid.length === 0) return Promise.resolve([]);
      return run<ProductRow>(
        `select ${PRODUCT_COLUMNS}, ${IMAGE_VERSION} from products p ${IN_CATEGORY} ${WITH_IMAGE}
         where ${VISIBLE} and p.id in (${valid.map(() => '?').join(', ')}) order by p.id`,
        valid,
      );
    },

    async product(id) {
      const [row] = await run<ProductRow>(
        `select ${PRODUCT_COLUMNS}, ${IMAGE_VERSION} from products p ${IN_CATEGORY} ${WITH_IMAGE}
         where p.id = ? and ${VISIBLE}`,
        [id],
      );
      return row ?? null;
    },

    categories() {
      return run<CategoryRow>(
        `select c.id, c.slug, c.name_en as "nameEn", c.name_ru as "nameRu", count(p.id)::int as "productCount"
         from categories c left join products p on p.category_id = c.id and p.deleted_at is null and not p.hidden
         where not c.hidden group by c.id order by c.position, c.id`,
      );
    },
  };
}
