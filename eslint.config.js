import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/dist-types/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      'no-console': 'error',
      // Flags every object literal passed where a class type is declared (Headers, Logger): noise, not bugs.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  {
    files: ['**/*.test.ts', 'bench/**', 'scripts/**', 'test/**', 'services/testkit/**'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // expect.any() and friends are typed `any` by vitest itself.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      // app.request() is typed `Response | Promise<Response>`.
      '@typescript-eslint/await-thenable': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
  // The storefront's scripts run in the browser as they are: plain JavaScript, no type information.
  {
    files: ['services/web/public/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: Object.fromEntries(
        [
          'document',
          'window',
          'location',
          'history',
          'performance',
          'sessionStorage',
          'fetch',
          'setTimeout',
          'clearTimeout',
          'URLSearchParams',
          'CustomEvent',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  // Must parse on any Node (it tells an old one what to do): plain CommonJS, no type information.
  {
    files: ['scripts/require-node.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'commonjs',
      globals: { process: 'readonly' },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, 'no-var': 'off' },
  },
);
