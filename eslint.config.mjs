import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const electronOnlyIn = ['src/main/platform/electron.ts', 'src/main/index.ts', 'src/preload/**']

export default tseslint.config(
  { ignores: ['.tmp/**', '.tmp-*/**', 'out/**', 'node_modules/**', 'dist/**', 'test-results/**', 'playwright-report/**', 'resources/migrations/**', 'src/detector/wasm/assembly/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // Layering: only the Electron entry points touch 'electron' (type-only imports are erased and allowed).
  {
    files: ['**/*.{ts,tsx,mts,mjs,js}'],
    ignores: electronOnlyIn,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: "Only src/main/platform/electron.ts and src/main/index.ts may import 'electron'.", allowTypeImports: true }],
          patterns: [{ group: ['electron/*'], message: "Only the Electron entry points may import 'electron'.", allowTypeImports: true }],
        },
      ],
    },
  },
  // The renderer takes only types from the contract (values would bundle zod and every schema);
  // shared values it needs live in src/shared/constants.ts.
  {
    files: ['src/renderer/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to main only through window.api.', allowTypeImports: true }],
          patterns: [{ group: ['**/shared/contract', '**/shared/contract/*'], message: 'Import types only (import type …) from the contract; values from shared/constants.', allowTypeImports: true }],
        },
      ],
    },
  },
  // Layering: the detector library, the shared contract and the renderer never reach into the main process.
  {
    files: ['src/detector/**', 'src/shared/**', 'src/renderer/**', 'src/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Not in this layer.' }],
          patterns: [{ group: ['**/main/**', '**/main', '../main/*', '../../main/*'], message: 'src/detector, src/shared, src/renderer and src/preload must not import from src/main.' }],
        },
      ],
    },
  },
  {
    files: ['src/preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/detector/**', 'src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The detector and the shared contract never import electron.' }],
          patterns: [{ group: ['**/main/**', '**/main'], message: 'src/detector and src/shared must not import from src/main.' }],
        },
      ],
    },
  },
)
