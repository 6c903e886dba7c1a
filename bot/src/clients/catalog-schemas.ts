import { z } from 'zod';

// Ids are integers in the catalog today; accepting strings too keeps the bot working if that changes.
export const idSchema = z.union([z.number(), z.string()]).transform(String);

export const productSchema = z.object({
  id: idSchema,
  name: z.string(),
  description: z.string().default(''),
  priceCents: z.number().int(),
  currency: z.string(),
  stock: z.number().int(),
  categoryId: idSchema.nullable().optional(),
  // A path on the catalog with the photo's version (`/products/1/image?v=…`), or null.
  imageUrl: z
    .string()
    .nullish()
    .transform((url) => url ?? null),
});
