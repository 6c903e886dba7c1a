import { runService } from '@shop/shared';
import { loadPaymentConfig } from './config.ts';
import { buildPayment } from './wiring.ts';

await runService({
  name: 'payment',
  config: loadPaymentConfig(),
  port: (config) => config.PAYMENT_PORT,
  build: buildPayment,
});
