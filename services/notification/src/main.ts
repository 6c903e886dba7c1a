import { runService } from '@shop/shared';
import { loadNotificationConfig } from './config.ts';
import { buildNotification } from './wiring.ts';

await runService({
  name: 'notification',
  config: loadNotificationConfig(),
  port: (config) => config.NOTIFICATION_PORT,
  build: buildNotification,
});
