// Lint configuration: typescript-eslint's recommended rules over the TypeScript sources
// (type-aware, so unawaited promises are caught: `no-floating-promises`,
// `no-misused-promises`) and ESLint's recommended rules over the build and test scripts.
// Formatting is Prettier's job (`npm run format`); eslint-config-prettier turns off the
// rules that would disagree with it.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'out/',
      '.vscode-test/',
      '.test-artifacts/',
      'examples/',
      'test/fixtures/',
      'docs/',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts'],
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  // Functions the end-to-end run hands to the browser (page.evaluate) use the DOM.
  { files: ['scripts/e2e.mjs', 'scripts/f5Floor.mjs'], languageOptions: { globals: { ...globals.browser } } },
  prettier,
);
