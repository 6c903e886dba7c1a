import { createRoute } from '@hono/zod-openapi';
import { errorResponses, jsonBody, jsonResponse, notFound, type ServiceApp } from '@shop/shared';
import { launch, MINI_APP_PLATFORM, MINI_APP_VERSION } from '../mini-app/launch.ts';
import { THEMES } from '../mini-app/themes.ts';
import type { ChatState } from '../world/chats.ts';
import type { World } from '../world/index.ts';
import { launchSchema, menuButtonSchema, openWebAppSchema, themesSchema } from './mini-app-schemas.ts';
import { chatParamsSchema } from './schemas.ts';

const tags = ['sandbox mini apps'];
const menuButtonRoute = createRoute({
  method: 'get',
  path: '/sandbox/api/chats/{chatId}/menu-button',
  tags,
  description:
    "The menu button this user's client shows beside the message field: the chat's own (setChatMenuButton with chat_id), else the one for all chats, else the command menu.",
  request: { params: chatParamsSchema },
  responses: { 200: jsonResponse(menuButtonSchema, 'The button'), ...errorResponses(400, 404) },
});
const openRoute = createRoute({
  method: 'post',
  path: '/sandbox/api/chats/{chatId}/web-apps',
  tags,
  description:
    "The user opens a Mini App: the chat's web_app menu button (no `messageId`), or an inline `web_app` button of the bot's message `messageId`, carrying `url`. Answers the URL to load with Telegram's launch parameters in its hash, and initData signed with the bot's token as Telegram signs it (query_id, user, auth_date, hash). 404 when no such button offers that URL to this user.",
  request: { params: chatParamsSchema, body: jsonBody(openWebAppSchema) },
  responses: { 201: jsonResponse(launchSchema, 'Opened'), ...errorResponses(400, 404) },
});
const themesRoute = createRoute({
  method: 'get',
  path: '/sandbox/api/mini-app/themes',
  tags,
  description: "The web chat's light and dark theme parameters, as Mini Apps get them (theme_changed).",
  responses: { 200: jsonResponse(themesSchema, 'Both themes') },
});

/** The same URL as Telegram stores a button's (normalized), or undefined when it does not parse. */
const normalized = (url: string) => (URL.canParse(url) ? new URL(url).href : undefined);

/** Whether the chat shows a button that opens `url`: its menu button, or an inline one of a bot message. */
function offered(world: World, chat: ChatState, url: string, messageId: number | undefined): boolean {
  if (messageId === undefined) {
    const button = world.menuButtons.shownIn(chat.chat.id);
    return button.type === 'web_app' && button.web_app.url === url;
  }
  const stored = chat.messages.get(messageId);
  const buttons = stored?.from === 'bot' ? (stored.message.reply_markup?.inline_keyboard.flat() ?? []) : [];
  return buttons.some((button) => 'web_app' in button && button.web_app.url === url);
}

/** Mini Apps as a Telegram client opens them: the menu button, web_app buttons, signed initData. */
export function registerMiniAppRoutes(app: ServiceApp, world: World, initDataKey: Buffer): void {
  const chatOf = (chatId: number) => {
    const chat = world.chats.get(chatId);
    if (!chat) throw notFound(`User ${chatId}`);
    return chat;
  };

  app.openapi(menuButtonRoute, (c) => {
    const chat = chatOf(c.req.valid('param').chatId);
    return c.json(world.menuButtons.shownIn(chat.chat.id), 200);
  });

  app.openapi(openRoute, (c) => {
    const chat = chatOf(c.req.valid('param').chatId);
    const { url: given, messageId, theme } = c.req.valid('json');
    const url = normalized(given);
    if (url === undefined || !offered(world, chat, url, messageId)) {
      const where = messageId === undefined ? 'the menu button' : `message ${messageId}`;
      throw notFound(`A web_app button for ${JSON.stringify(given)} on ${where}`);
    }
    const themeParams = THEMES[theme];
    const opened = launch(url, chat.user, initDataKey, themeParams);
    return c.json(
      { url, ...opened, version: MINI_APP_VERSION, platform: MINI_APP_PLATFORM, themeParams },
      201,
    );
  });

  app.openapi(themesRoute, (c) => c.json(THEMES, 200));
}
