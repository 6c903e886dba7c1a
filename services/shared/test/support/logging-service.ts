/**
 * A service as `runService` runs it, for the batched-stdout test: `GET /hello` answers, and its
 * one dependency logs LAST_WORDS lines while it closes, the moment before the process exits.
 */
import { baseConfigSchema, loadConfig } from '../../src/config/index.ts';
import { createServiceApp } from '../../src/http/app.ts';
import { runService } from '../../src/lifecycle/run-service.ts';

const lastWords = Number(process.env.LAST_WORDS ?? 100);

await runService({
  name: 'logging-test',
  config: loadConfig(baseConfigSchema),
  port: () => 0,
  build: (_config, logger) => {
    const app = createServiceApp({ service: 'logging-test', logger, readiness: [] });
    app.get('/hello', (c) => c.text('hello'));
    const close = () => {
      for (let line = 1; line <= lastWords; line++) logger.info({ line }, 'closing');
      return Promise.resolve();
    };
    return Promise.resolve({ app, closers: [{ name: 'last words', close }] });
  },
});
