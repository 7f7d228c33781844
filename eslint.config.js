// Lint rules for the whole project: TypeScript strictness plus Svelte, and the layer rule that core stays pure.
import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

export default ts.config(
  {
    ignores: [
      'dist/',
      'dist-cli/',
      'dist-*/',
      'node_modules/',
      'test-results/',
      'playwright-report/',
      'bench/out/',
    ],
  },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    // core is pure: no DOM, no storage, no network (DESIGN.md, layers).
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        'window',
        'document',
        'fetch',
        'indexedDB',
        'localStorage',
        'navigator',
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'dexie',
            'svelte',
            'svelte/*',
            'node:*',
            '**/store/**',
            '**/ui/**',
            '**/platform/**',
            '**/pipeline/**',
          ],
        },
      ],
    },
  },
  {
    // Tests of core run in Node and may use node:* to check outputs with real tools (python3, unzip, dcmdump).
    files: ['src/core/**/*.test.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/cli/**/*.ts', 'scripts/**', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
);
