import type { Api } from 'grammy';
import type { Logger } from 'pino';
import type { BotContext } from './context.ts';
import { createI18n } from './i18n.ts';

/** Where the web storefront opens as a Mini App (BOT_MINI_APP_URL): its home and its product pages. */
export interface MiniAppLinks {
  home: string;
  product(id: string): string;
}

/** The storefront's pages under `url` (a trailing path is kept: `/shop` → `/shop/products/7`). */
export function miniAppLinks(url: string): MiniAppLinks {
  const base = new URL(url);
  if (!base.pathname.endsWith('/')) base.pathname = `${base.pathname}/`;
  return {
    home: base.href,
    product: (id) => new URL(`products/${encodeURIComponent(id)}`, base).href,
  };
}

const webApp = (text: string, url: string) => ({ type: 'web_app' as const, text, web_app: { url } });

/**
 * The menu button beside every chat's message field opens the storefront, labelled in English:
 * Telegram has one such button for all chats and no language for it (/start puts each user's own).
 */
export async function setMenuButton(api: Api, links: MiniAppLinks): Promise<void> {
  await api.setChatMenuButton({ menu_button: webApp(createI18n().t('en', 'menu-button-shop'), links.home) });
}

/**
 * The menu button of this user's chat, in their language. A refusal is logged, never shown: the
 * chat works without the button.
 */
export async function setChatMenuButton(ctx: BotContext, links: MiniAppLinks, logger: Logger): Promise<void> {
  if (ctx.chat?.type !== 'private') return;
  try {
    await ctx.api.setChatMenuButton({
      chat_id: ctx.chat.id,
      menu_button: webApp(ctx.t('menu-button-shop'), links.home),
    });
  } catch (error) {
    logger.warn({ err: error, chatId: ctx.chat.id }, 'could not set the chat menu button');
  }
}
