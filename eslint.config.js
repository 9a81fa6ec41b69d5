// Lint rules: typescript-eslint's recommended set over the server, migrations, tests and benchmark, and the layers of
// server/ (a lower layer never imports a higher one; a feature never reaches into another feature's internals).
import tseslint from 'typescript-eslint';

const FEATURES = ['access', 'appraisal', 'audit', 'bids', 'calls', 'consortium', 'exports', 'identity', 'people'];

// Patterns are matched against the import's path as written, so a feature's imports of its own files ('./pages.ts')
// never match a pattern that names the feature ('**/bids/pages.ts').
const patterns = {
  grant: [{ group: ['**/access/grant.ts'], message: 'Ask server/access/index.ts: only the access module grants.' }],
  features: [
    {
      group: FEATURES.map((feature) => `**/${feature}/**`),
      message: 'Shared layers (shared/, db/, models/, web/ and the files beside them) do not import a feature.',
      allowTypeImports: true,
    },
  ],
  web: [{ group: ['**/web/**'], message: 'Only features and the app import the web layer.' }],
  top: [
    {
      group: ['**/app.ts', '**/main.ts', '**/demo/**', '**/scripts/**', '**/shutdown.ts', '**/health.ts'],
      message: 'The app, its start and its scripts sit on top: nothing in server/ imports them.',
    },
  ],
  internals: [
    {
      group: [
        ...FEATURES.flatMap((feature) => [`**/${feature}/routes.ts`, `**/${feature}/pages.ts`]),
        ...FEATURES.map((feature) => `**/${feature}/*Pages.ts`),
        '**/appraisal/plan/**',
        '**/appraisal/solver/**',
        '**/bids/sections/**',
        '**/bids/templateImport/**',
      ],
      message:
        "Another feature's routes, pages and sub-folders are its own: import what it offers from its top-level modules.",
      allowTypeImports: true,
    },
  ],
};

/** The import rule for some files: the grant rule everywhere but in the access module, plus `extra`. */
function layer(files, extra, { ignores = [] } = {}) {
  return {
    files,
    ignores,
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [...patterns.grant, ...extra] }],
    },
  };
}

const SHARED_FILES = ['server/shared/**/*.ts', 'server/db/**/*.ts', 'server/models/**/*.ts', 'server/*.ts'];
const TOP_FILES = ['server/app.ts', 'server/main.ts', 'server/shutdown.ts', 'server/health.ts'];

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', 'dist/', 'test-output/', 'bench/results/'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      'max-len': ['error', { code: 120, ignoreUrls: true }],
    },
  },
  layer(['**/*.ts'], []),
  layer(SHARED_FILES, [...patterns.features, ...patterns.web, ...patterns.top], { ignores: TOP_FILES }),
  layer(['server/web/**/*.ts'], [...patterns.features, ...patterns.top]),
  layer(
    FEATURES.map((feature) => `server/${feature}/**/*.ts`),
    [...patterns.top, ...patterns.internals],
  ),
  {
    files: ['server/access/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [...patterns.top, ...patterns.internals] }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
);
