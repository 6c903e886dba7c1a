import { defaultServerConditions } from 'vite';
import { configDefaults, defineConfig } from 'vitest/config';

// Workspace packages export their TypeScript sources under the `source` condition.
const conditions = ['source', ...defaultServerConditions];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['source'] } },
  test: {
    include: [
      'services/*/test/**/*.test.ts',
      'bot/test/**/*.test.ts',
      'scripts/test/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    // The chaos suite stops the shared servers: it runs on its own (npm run test:chaos, vitest.chaos.config.ts).
    // The scale-out proof needs them to itself: npm test runs it after these (vitest.scale.config.ts).
    exclude: [...configDefaults.exclude, '**/*.chaos.test.ts', 'test/scale/**'],
    globalSetup: ['services/testkit/src/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Integration suites share three servers on a 2-core machine; two workers keep them honest and fast.
    maxWorkers: 2,
    // Tests read the storefront's pages right after changing the catalog: its page cache (1 s by
    // default) is on only where a test turns it on.
    env: { BCRYPT_COST: '4', LOG_LEVEL: 'silent', NODE_ENV: 'test', WEB_PAGE_CACHE_MS: '0' },
  },
});
