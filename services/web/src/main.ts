import { runService } from '@shop/shared';
import { loadWebConfig } from './config.ts';

// From the sources (npm start) the .tsx pages are compiled as they load; the built image needs nothing.
if (import.meta.url.endsWith('.ts')) await import('./jsx-from-source.ts');
const { buildWeb } = await import('./wiring.ts');

await runService({
  name: 'web',
  config: loadWebConfig(),
  port: (config) => config.WEB_PORT,
  build: buildWeb,
});
