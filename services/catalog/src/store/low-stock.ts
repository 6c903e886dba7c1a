import { createEvent, type EventEnvelope, type ServiceEntityManager } from '@shop/shared';
import type { LowStock } from '../domain/low-stock.ts';

/** A `stock.low` for each crossing, with the product's names (read only for the few that crossed). */
export async function lowStockAnnouncements(
  em: ServiceEntityManager,
  crossings: readonly LowStock[],
  threshold: number,
): Promise<EventEnvelope<'stock.low'>[]> {
  if (crossings.length === 0) return [];
  const rows = await em.execute<{ id: number; name_en: string; name_ru: string }[]>(
    'select id, name_en, name_ru from products where id in (?)',
    [crossings.map((crossing) => crossing.productId)],
  );
  const names = new Map(rows.map((row) => [row.id, row]));
  return crossings.map(({ productId, available }) => {
    const product = names.get(productId);
    return createEvent('stock.low', {
      productId,
      name: product?.name_en ?? `#${productId}`,
      ...(product ? { nameRu: product.name_ru } : {}),
      available,
      threshold,
    });
  });
}
