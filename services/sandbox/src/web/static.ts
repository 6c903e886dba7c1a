import { readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { AppEnv, ServiceApp } from '@shop/shared';
import type { Handler } from 'hono';

const publicDir = new URL('../../public/', import.meta.url);
const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
/**
 * The page loads only its own scripts, styles, images and API: no inline code, nothing remote. Its
 * one frame is a Mini App, from wherever a bot's Web App button points: https anywhere, or http on
 * this machine (what the Bot API takes, see bot-api/web-app-url.ts).
 */
export const WEB_CHAT_POLICY = [
  "default-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
  'frame-src https: http://localhost:* http://*.localhost:* http://127.0.0.1:*',
].join('; ');

/**
 * Serves the web chat from `public/` (plain HTML, CSS and ES modules, no build step). The files
 * are read once at start: a fixed set, so no request can name a path outside it.
 */
export function registerWebChat(app: ServiceApp): void {
  const files = new Map<string, { body: Uint8Array; type: string }>();
  for (const name of readdirSync(publicDir)) {
    const type = types[extname(name)];
    if (type) files.set(`/${name}`, { body: readFileSync(new URL(name, publicDir)), type });
  }
  const serve: Handler<AppEnv> = (c, next) => {
    const file = files.get(c.req.path === '/' ? '/index.html' : c.req.path);
    if (!file) return next();
    return c.body(file.body as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': file.type,
      'Cache-Control': 'no-cache',
      'Content-Security-Policy': WEB_CHAT_POLICY,
    });
  };
  app.get('/', serve);
  app.get('/:file{[\\w-]+\\.(?:html|js|css|svg)}', serve);
}
