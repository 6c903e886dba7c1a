import { defaultServerConditions } from 'vite';
import { configDefaults, defineConfig } from 'vitest/config';

// Workspace packages export their TypeScript sources under the `source` condition.
const conditions = ['source', ...defaultServerConditions];

/** `npm run test:unit`: the tests that need no server (`*.test.ts` without `.int.`), in seconds. */
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
    exclude: [...configDefaults.exclude, '**/*.int.test.ts', '**/*.chaos.test.ts', 'test/scale/**'],
    env: { BCRYPT_COST: '4', LOG_LEVEL: 'silent', NODE_ENV: 'test' },
  },
});
