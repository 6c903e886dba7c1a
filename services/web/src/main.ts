import { runService } from '@shop/shared';
import { loadWebConfig } from './config.ts';

// Run from the sources (npm start), the .tsx pages are compiled as they load; the image runs tsc's output.
if (import.meta.url.endsWith('.ts')) await import(new URL('../dev/jsx-from-source.ts', import.meta.url).href);
const { buildWeb } = await import('./wiring.ts');

await runService({
  name: 'web',
  config: loadWebConfig(),
  port: (config) => config.WEB_PORT,
  build: buildWeb,
});
