import { runService } from '@shop/shared';
import { loadOrderConfig } from './config.ts';
import { buildOrder } from './wiring.ts';

await runService({
  name: 'order',
  config: loadOrderConfig(),
  port: (config) => config.ORDER_PORT,
  build: buildOrder,
});
