import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

// The scale-out proof alone, after the other suites (`npm test` runs it second): its eight service
// processes hold about 75 PostgreSQL connections at peak, and beside another whole-shop suite they
// would pass the server's default of 100 (`too many clients`).
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/scale/**/*.test.ts'],
    exclude: configDefaults.exclude,
    testTimeout: 5 * 60_000,
    hookTimeout: 3 * 60_000,
    maxWorkers: 1,
  },
});
