/** Both languages' names and descriptions, folded the same way a search query is. */
export function searchTextOf(fields: {
  nameEn: string;
  nameRu: string;
  descriptionEn: string;
  descriptionRu: string;
}): string {
  return fold([fields.nameEn, fields.nameRu, fields.descriptionEn, fields.descriptionRu].join('\n'));
}

/** NFC plus lower case in JS, so "ЁЛКА", "ёлка" and a decomposed "ё" all match whatever the database collation. */
export function fold(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

/**
 * A LIKE pattern that matches `query` literally anywhere: `%`, `_` and the escape character
 * itself are escaped with `!` (the statement says `escape '!'`), so user input is never a wildcard.
 */
export function containsPattern(query: string): string {
  return `%${fold(query).replace(/[!%_]/g, (char) => `!${char}`)}%`;
}

/** PostgreSQL text cannot hold U+0000: input carrying it is refused at the edge, not left to fail a query. */
export const hasNoNul = (text: string): boolean => !text.includes('\u0000');
