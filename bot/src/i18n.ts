import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { I18n } from '@grammyjs/i18n';
import { languageOf, type Language } from '@shop/shared';
import type { Context } from 'grammy';

export type Locale = Language;

/** Russian for a Russian Telegram client, English for everyone else. */
export const localeOf = (ctx: Pick<Context, 'from'>): Locale => languageOf(ctx.from?.language_code);

// tsc does not copy .ftl files: compiled code (dist/) reads them from src/.
function localesDir(): string {
  const beside = fileURLToPath(new URL('./locales', import.meta.url));
  return existsSync(beside) ? beside : fileURLToPath(new URL('../src/locales', import.meta.url));
}

export function createI18n() {
  const i18n = new I18n<Context>({
    defaultLocale: 'en',
    useSession: false,
    localeNegotiator: localeOf,
    // Unicode isolation marks around every variable would show up in copied text and in tests.
    fluentBundleOptions: { useIsolating: false },
  });
  i18n.loadLocalesDirSync(localesDir());
  return i18n;
}
