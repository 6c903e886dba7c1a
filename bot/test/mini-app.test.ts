import { ConfigError, loadConfig } from '@shop/shared';
import { describe, expect, it } from 'vitest';
import { botConfigSchema } from '../src/config.ts';
import type { Translator } from '../src/context.ts';
import { createI18n } from '../src/i18n.ts';
import { miniAppLinks } from '../src/mini-app.ts';
import { productView } from '../src/views/catalog.ts';

const BASE = {
  TELEGRAM_BOT_TOKEN: '123456:real-token',
  BOT_SERVICE_TOKEN: 'a-service-token-of-the-operator',
};
const SANDBOX = 'http://127.0.0.1:8081';
const issuesOf = (env: Record<string, string | undefined>) => {
  try {
    loadConfig(botConfigSchema, { ...BASE, ...env });
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues;
  }
};

describe('BOT_MINI_APP_URL', () => {
  it('is unset by default: no Mini App', () => {
    expect(loadConfig(botConfigSchema, BASE).BOT_MINI_APP_URL).toBeUndefined();
  });

  it('takes https anywhere, in production too', () => {
    for (const env of [
      { BOT_MINI_APP_URL: 'https://shop.example.com/' },
      { BOT_MINI_APP_URL: 'https://shop.example.com/', NODE_ENV: 'production' },
      { BOT_MINI_APP_URL: 'https://shop.example.com/', TELEGRAM_API_ROOT: SANDBOX },
    ])
      expect(issuesOf(env)).toEqual([]);
  });

  it('takes http only against a local Bot API such as the sandbox, outside production', () => {
    expect(issuesOf({ BOT_MINI_APP_URL: 'http://localhost:3006', TELEGRAM_API_ROOT: SANDBOX })).toEqual([]);
    const refused = [
      'BOT_MINI_APP_URL="http://localhost:3006": must be https: Telegram opens Mini Apps over https only (http works against the local sandbox, never in production)',
    ];
    expect(issuesOf({ BOT_MINI_APP_URL: 'http://localhost:3006' })).toEqual(refused);
    expect(
      issuesOf({
        BOT_MINI_APP_URL: 'http://localhost:3006',
        TELEGRAM_API_ROOT: SANDBOX,
        NODE_ENV: 'production',
      }),
    ).toEqual(refused);
  });

  it('refuses what is not an http(s) URL', () => {
    for (const value of ['shop.example.com', 'ftp://shop.example.com/', 'javascript:alert(1)'])
      expect(issuesOf({ BOT_MINI_APP_URL: value })).toHaveLength(1);
  });
});

describe('the Mini App links', () => {
  it('open the storefront and its product pages, under a path too', () => {
    const links = miniAppLinks('https://shop.example.com');
    expect(links.home).toBe('https://shop.example.com/');
    expect(links.product('7')).toBe('https://shop.example.com/products/7');
    const under = miniAppLinks('https://example.com/shop');
    expect([under.home, under.product('a/b')]).toEqual([
      'https://example.com/shop/',
      'https://example.com/shop/products/a%2Fb',
    ]);
  });

  it('put "Open in shop" on a product card, in the user’s language, above Back and the cart', () => {
    const i18n = createI18n();
    const product = {
      id: '7',
      name: 'Green tea',
      description: 'Sencha',
      priceCents: 450,
      currency: 'USD',
      stock: 0,
      categoryId: '2',
      imageUrl: null,
    };
    const back = { to: 'categories' } as const;
    const links = miniAppLinks('https://shop.example.com/');
    for (const [locale, label, backLabel] of [
      ['en', '🌐 Open in shop', '⬅️ Back'],
      ['ru', '🌐 Открыть в магазине', '⬅️ Назад'],
    ] as const) {
      const ctx: Translator = { t: (key, vars) => i18n.t(locale, key, vars) };
      const { keyboard } = productView(ctx, locale, product, back, 1, links);
      const rows = keyboard!.inline_keyboard;
      expect(rows.at(-2)).toEqual([{ text: label, web_app: { url: 'https://shop.example.com/products/7' } }]);
      expect(rows.at(-1)?.[0]?.text).toBe(backLabel);
      expect(productView(ctx, locale, product, back, 1).keyboard!.inline_keyboard.flat()).not.toContainEqual(
        expect.objectContaining({ web_app: expect.anything() }),
      );
    }
  });
});
