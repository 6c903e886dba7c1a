import { languageOfAcceptLanguage } from '@shop/shared';
import type { Lang } from '../domain/product-views.ts';

/** The answer's language: `?lang=` if given, else the best of en/ru in `Accept-Language`, else English. */
export const resolveLang = (explicit: Lang | undefined, acceptLanguage: string | undefined): Lang =>
  explicit ?? languageOfAcceptLanguage(acceptLanguage);
