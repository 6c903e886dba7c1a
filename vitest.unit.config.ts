import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * `npm run test:unit`: the tests that need no server (`*.test.ts` without `.int.`), in seconds,
 * without the global setup that checks for the servers.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    exclude: [...configDefaults.exclude, '**/*.int.test.ts', '**/*.chaos.test.ts', 'test/scale/**'],
    globalSetup: [],
  },
});
