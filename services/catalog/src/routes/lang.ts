import { languages, type Lang } from '../domain/product-views.ts';

const DEFAULT_LANG: Lang = 'en';
// Browsers send a handful of tags; anything longer is not worth parsing.
const MAX_HEADER_LENGTH = 512;

/**
 * The answer's language: `?lang=` if given, else the best of en/ru in `Accept-Language`
 * (by q-value, then order; `*` means the default), else English.
 */
export function resolveLang(explicit: Lang | undefined, acceptLanguage: string | undefined): Lang {
  if (explicit) return explicit;
  if (!acceptLanguage) return DEFAULT_LANG;
  let best: Lang = DEFAULT_LANG;
  let bestQ = 0;
  for (const part of acceptLanguage.slice(0, MAX_HEADER_LENGTH).split(',')) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!(q > bestQ)) continue;
    const primary = tag.split('-')[0];
    const lang = primary === '*' ? DEFAULT_LANG : languages.find((candidate) => candidate === primary);
    if (lang) {
      best = lang;
      bestQ = q;
    }
  }
  return best;
}
