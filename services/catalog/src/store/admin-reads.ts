import type { EntityManager } from '@mikro-orm/postgresql';
import type { AdminCategoryRow, AdminProductRow } from '../domain/admin-views.ts';
import { MAX_ID } from '../domain/product-views.ts';
import { IMAGE_VERSION, PRODUCT_COLUMNS, WITH_IMAGE } from './catalog-reads.ts';

const ADMIN_PRODUCT = `${PRODUCT_COLUMNS}, p.hidden, ${IMAGE_VERSION}`;
const ADMIN_CATEGORY = `c.id, c.slug, c.name_en as "nameEn", c.name_ru as "nameRu", c.hidden, c.position,
  (select count(*)::int from products p where p.category_id = c.id and p.deleted_at is null) as "productCount"`;

export interface AdminProductPage {
  rows: AdminProductRow[];
  total: number;
  /** False when the category asked for does not exist. */
  categoryFound: boolean;
}

/**
 * What the merchant sees: every product and category that is not deleted, hidden ones too.
 * Never cached: a merchant reads what they just wrote.
 */
export function createAdminReads(root: EntityManager) {
  const run = <T>(sql: string, params: unknown[] = []) => root.fork().execute<T[]>(sql, params);

  return {
    /** A page of products by id: of one category, or of all when `categoryId` is undefined. */
    async products(categoryId: number | undefined, offset: number, limit: number): Promise<AdminProductPage> {
      const inCategory = categoryId === undefined ? 'true' : 'p.category_id = ?';
      const params = categoryId === undefined ? [] : [categoryId];
      if (categoryId !== undefined) {
        const [found] = await run<{ id: number }>('select id from categories where id = ?', params);
        if (!found) return { rows: [], total: 0, categoryFound: false };
      }
      const [count] = await run<{ total: number }>(
        `select count(*)::int as total from products p where ${inCategory} and p.deleted_at is null`,
        params,
      );
      const rows = await run<AdminProductRow>(
        `select ${ADMIN_PRODUCT} from products p ${WITH_IMAGE}
         where ${inCategory} and p.deleted_at is null order by p.id limit ? offset ?`,
        [...params, limit, offset],
      );
      return { rows, total: count?.total ?? 0, categoryFound: true };
    },

    async product(id: number): Promise<AdminProductRow | null> {
      if (id > MAX_ID) return null;
      const [row] = await run<AdminProductRow>(
        `select ${ADMIN_PRODUCT} from products p ${WITH_IMAGE} where p.id = ? and p.deleted_at is null`,
        [id],
      );
      return row ?? null;
    },

    categories(): Promise<AdminCategoryRow[]> {
      return run<AdminCategoryRow>(`select ${ADMIN_CATEGORY} from categories c order by c.position, c.id`);
    },

    async category(id: number): Promise<AdminCategoryRow | null> {
      if (id > MAX_ID) return null;
      const [row] = await run<AdminCategoryRow>(`select ${ADMIN_CATEGORY} from categories c where c.id = ?`, [
        id,
      ]);
      return row ?? null;
    },
  };
}

export type AdminReads = ReturnType<typeof createAdminReads>;
