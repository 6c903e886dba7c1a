import type { Language } from '@shop/shared';
import type { Child } from 'hono/jsx';
import { ICON_PATH, MINI_APP_SCRIPT } from '../routes/assets.ts';
import type { Launch } from '../session/store.ts';
import { texts } from '../texts.ts';

export interface PageFrame {
  lang: Language;
  /** The page's path and query, for the language switch. */
  url: URL;
  /** The stylesheet's versioned path. */
  stylesheet: string;
  /** The Mini App session the page is shown in: whose it is, its CSRF token, how Telegram launched it. */
  miniApp?: { telegramId: number; csrfToken: string; launch?: Launch };
}

/** The same page in `lang`: its query with `lang` set (the choice is then remembered). */
const inLanguage = (url: URL, lang: Language) => {
  const params = new URLSearchParams(url.search);
  params.set('lang', lang);
  return `${url.pathname}?${params.toString()}`;
};

/**
 * Every page: the head, the shop's header with its links and the language switch, and `children`
 * as the main content. `script` is a path of this origin's (the only kind the policy runs). Every
 * page loads the Mini App bridge (public/mini-app.js), which does nothing outside Telegram; for it
 * the page says where Telegram's Back Button leads (`back`, none on the catalog's first page), and
 * inside a Mini App session whose it is and its CSRF token.
 */
export function Layout(
  props: PageFrame & { title: string; children: Child; script?: string; back?: string },
) {
  const t = texts[props.lang];
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${t.shopName}`}</title>
        <link rel="icon" href={ICON_PATH} type="image/svg+xml" />
        <link rel="stylesheet" href={props.stylesheet} />
        {props.miniApp && <meta name="csrf-token" content={props.miniApp.csrfToken} />}
        {props.miniApp?.launch && (
          <meta name="mini-app-launch" content={JSON.stringify(props.miniApp.launch)} />
        )}
        <script src={MINI_APP_SCRIPT} defer />
        {props.script && <script src={props.script} defer />}
      </head>
      <body
        data-telegram-user={props.miniApp ? String(props.miniApp.telegramId) : undefined}
        data-back={props.back}
      >
        <header class="top">
          <a class="brand" href="/">
            {t.shopName}
          </a>
          <nav class="links">
            <a href="/cart">{t.cart}</a>
            <a href="/orders">{t.orders}</a>
            <a href="/account">{t.account}</a>
          </nav>
          <nav class="languages" aria-label={t.language}>
            {(['en', 'ru'] as const).map((lang) => (
              <a
                href={inLanguage(props.url, lang)}
                hreflang={lang}
                lang={lang}
                aria-current={lang === props.lang ? 'true' : undefined}
              >
                {lang === 'en' ? 'English' : 'Русский'}
              </a>
            ))}
          </nav>
        </header>
        <main>
          <p class="problem" role="alert" data-mini-app-problem hidden>
            {t.miniAppCookies}
          </p>
          {props.children}
        </main>
      </body>
    </html>
  );
}
