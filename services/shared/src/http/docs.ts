import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import swaggerUi from 'swagger-ui-dist';
import type { AppEnv } from './env.ts';

const assets: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
};

// Swagger UI is initialised from a served script, not an inline one, so the strict CSP holds.
const initScript = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });`;

const page = (title: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title} API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
<script src="/docs/assets/init.js"></script></body></html>`;

/** `GET /openapi.json` from the zod route schemas and `GET /docs`, with Swagger UI served from the installed package. */
export function mountDocs(app: OpenAPIHono<AppEnv>, service: string, version: string): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  app.doc31('/openapi.json', { openapi: '3.1.0', info: { title: `${service} service`, version } });
  const assetDir = swaggerUi.getAbsoluteFSPath();
  const cache = new Map<string, string>();
  app.get('/docs', (c) => c.html(page(service)));
  app.get('/docs/assets/init.js', (c) => c.body(initScript, 200, { 'Content-Type': 'text/javascript' }));
  app.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    // Own keys only: `toString` or `__proto__` would otherwise find Object.prototype and read a missing file.
    const type = Object.hasOwn(assets, file) ? assets[file] : undefined;
    if (!type) return c.notFound();
    let body = cache.get(file);
    if (body === undefined) {
      body = await readFile(join(assetDir, file), 'utf8');
      cache.set(file, body);
    }
    return c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=86400' });
  });
}
