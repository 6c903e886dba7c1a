import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

// `npm run test:chaos`: the chaos suite alone (vitest.config.ts leaves it out), with room for its outages.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/chaos/**/*.chaos.test.ts'],
    exclude: configDefaults.exclude,
    testTimeout: 15 * 60_000,
    hookTimeout: 5 * 60_000,
    maxWorkers: 1,
  },
});
