import { z } from '@hono/zod-openapi';
import { themeNames } from '../mini-app/themes.ts';

const color = z.string().regex(/^#[0-9a-f]{6}$/i);
export const themeParamsSchema = z.record(z.string(), color).openapi('ThemeParams', {
  description: "Telegram's ThemeParams: snake_case keys such as bg_color, #RRGGBB values",
});

export const themesSchema = z
  .object({ light: themeParamsSchema, dark: themeParamsSchema })
  .openapi('MiniAppThemes');

export const menuButtonSchema = z
  .object({
    type: z.enum(['commands', 'web_app', 'default']),
    text: z.string().optional(),
    web_app: z.object({ url: z.string() }).optional(),
  })
  .openapi('MenuButton', { description: "Telegram's MenuButton" });

export const openWebAppSchema = z
  .object({
    url: z.string().min(1).max(4096).openapi({ description: 'The Web App URL the button carries' }),
    messageId: z.number().int().positive().optional().openapi({
      description: "The bot's message whose inline `web_app` button is pressed; none: the menu button",
    }),
    theme: z.enum(themeNames).default('light').openapi({ description: "The client's look" }),
  })
  .openapi('OpenWebApp');

export const launchSchema = z
  .object({
    url: z.string().openapi({ description: 'The Web App URL, as the bot gave it' }),
    launchUrl: z.string().openapi({
      description:
        'What the client loads: the URL with tgWebAppData, tgWebAppVersion, tgWebAppPlatform and tgWebAppThemeParams in its hash',
    }),
    initData: z.string().openapi({ description: 'Telegram.WebApp.initData, signed with the bot token' }),
    queryId: z.string(),
    version: z.string(),
    platform: z.string(),
    themeParams: themeParamsSchema,
  })
  .openapi('WebAppLaunch');
