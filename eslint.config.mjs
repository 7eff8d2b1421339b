// Lint rules, including the import boundaries of ARCHITECTURE.md: electron only in the shell,
// database drivers only under src/main/store, no Node or main-process code in the renderer.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const electronOnly = { name: 'electron', message: 'electron is imported only by src/main/index.ts, src/main/ipc and src/preload.' }
const drivers = [
  { name: 'better-sqlite3', message: 'Database drivers live under src/main/store only.' },
  { name: 'mongodb', message: 'Database drivers live under src/main/store only.' },
]

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', { paths: [electronOnly, ...drivers] }],
    },
  },
  {
    files: ['src/main/index.ts', 'src/main/ipc/**', 'src/preload/**'],
    rules: { 'no-restricted-imports': ['error', { paths: drivers }] },
  },
  {
    files: ['src/main/store/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronOnly] }] },
  },
  {
    files: ['src/renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnly, ...drivers],
          patterns: [
            { group: ['**/main/**', 'node:*'], message: 'The renderer talks to the main process only through the typed contract (src/shared).' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/engine/**', 'src/main/engine/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnly, ...drivers],
          patterns: [{ group: ['**/store/sqlite/**', '**/store/mongo/**', 'undici'], message: 'The engine sees ports, never SDKs.' }],
        },
      ],
    },
  },
)
