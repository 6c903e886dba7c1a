import { runService } from '@shop/shared';
import { loadCatalogConfig } from './config.ts';
import { buildCatalog } from './wiring.ts';

await runService({
  name: 'catalog',
  config: loadCatalogConfig(),
  port: (config) => config.CATALOG_PORT,
  build: buildCatalog,
});
