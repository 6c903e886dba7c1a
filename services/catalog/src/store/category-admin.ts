import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { conflict, flushOrConflict, notFound } from '@shop/shared';
import { Category } from '../db/entities.ts';
import type { Localized } from '../domain/admin-views.ts';
import { freeSlug, slugOf } from '../domain/slugs.ts';
import { write, type AdminDeps } from './product-admin.ts';

export interface NewCategory {
  name: Localized;
  /** Made from the English name when not given. */
  slug?: string;
  hidden: boolean;
}

export interface CategoryPatch {
  name?: Partial<Localized>;
  /** Its place among all categories, 0 first. */
  position?: number;
  hidden?: boolean;
}

const slugTaken = (slug: string) => () =>
  conflict('slug_taken', `A category with slug ${slug} already exists`);

async function slugFor(tx: EntityManager, input: NewCategory): Promise<string> {
  if (input.slug !== undefined) return input.slug;
  const base = slugOf(input.name.en);
  const rows = await tx.execute<{ slug: string }[]>(
    `select slug from categories where slug = ? or slug like ? escape '!'`,
    [base, `${base.replace(/[!%_]/g, (char) => `!${char}`)}-%`],
  );
  return freeSlug(base, new Set(rows.map((row) => row.slug)));
}

/** A new category, last in the order. Returns its id. */
export function createCategory(deps: AdminDeps, input: NewCategory): Promise<number> {
  return write(deps, async (tx) => {
    const slug = await slugFor(tx, input);
    const [last] = await tx.execute<{ next: number }[]>(
      'select coalesce(max(position) + 1, 0)::int as next from categories',
    );
    const category = tx.create(Category, {
      slug,
      nameEn: input.name.en,
      nameRu: input.name.ru,
      position: last?.next ?? 0,
      hidden: input.hidden,
    });
    await flushOrConflict(tx, slugTaken(slug));
    return category.id;
  });
}

/**
 * Renames, hides or shows, or moves a category. A move renumbers every category 0..n-1 in the
 * new order under their row locks, so two moves at once cannot leave two at one place.
 */
export function updateCategory(deps: AdminDeps, id: number, patch: CategoryPatch): Promise<void> {
  return write(deps, async (tx) => {
    const all = await tx.find(
      Category,
      {},
      { orderBy: [{ position: 'asc' }, { id: 'asc' }], lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    const category = all.find((each) => each.id === id);
    if (!category) throw notFound(`Category ${id}`);
    if (patch.name?.en !== undefined) category.nameEn = patch.name.en;
    if (patch.name?.ru !== undefined) category.nameRu = patch.name.ru;
    if (patch.hidden !== undefined) category.hidden = patch.hidden;
    if (patch.position !== undefined) {
      const order = all.filter((each) => each !== category);
      order.splice(Math.min(patch.position, order.length), 0, category);
      for (const [position, each] of order.entries()) each.position = position;
    }
  });
}
