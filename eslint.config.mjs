import nextCoreWebVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    ignores: [
      '.next/**',
      '.data/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'next-env.d.ts',
    ],
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // The engine is a standalone service: it shares only the contract with the app (relative
    // imports count too).
    files: ['engine/**/*.ts', 'engine/**/*.mjs'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['next', 'next/*', 'server-only'],
              message: 'The engine must not import Next or server-only modules.',
            },
            {
              regex: '^(?:(?:\\.\\./)+|@/)(?:app|components|proxy)(?:/|$)',
              message: 'The engine must not import the Next app.',
            },
            {
              regex: '^(?:(?:\\.\\./)+|@/)lib/(?!prequel/contract/)',
              message:
                'The engine imports app code only through the contract (lib/prequel/contract).',
            },
          ],
        },
      ],
    },
  },
  {
    // Components are the layer below the routes: data and actions flow down into them, never up
    // from app/.
    files: ['components/**/*.ts', 'components/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?:(?:\\.\\./)+|@/)app(?:/|$)',
              message:
                'Components never import from app/: pass data and actions in, or move them to ' +
                'lib/.',
            },
          ],
        },
      ],
    },
  },
  {
    // Prettier lays out code within 100 columns; what it cannot break (strings, comments) is kept
    // in it by hand.
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs'],
    ignores: ['**/*.test.ts', '**/*.test.tsx', '**/*.test-helpers.ts', 'e2e/**'],
    rules: { 'max-len': ['error', { code: 100, ignoreUrls: true, ignoreRegExpLiterals: true }] },
  },
];

export default config;
