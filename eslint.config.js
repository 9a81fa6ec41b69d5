// Lint rules: typescript-eslint's recommended set over the server, migrations, tests and benchmark.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', 'test-output/', 'bench/results/'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Only the access module marks what a rule let someone reach (see server/access/grant.ts).
    files: ['**/*.ts'],
    ignores: ['server/access/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/access/grant.ts'], message: 'Ask server/access/index.ts; only the access module grants.' }] },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
);
