// Lint: typescript-eslint's strict, type-checked rules (they read the types tsc infers, so they
// catch floating promises, needless conditions and unsafe `any`); formatting is Prettier's
// (npm run format). Biome was the first choice, but the registry this project installs from lacks
// its binaries for most platforms, which breaks `npm ci` from the lockfile.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The layers of src/, lowest first: a folder imports only the folders below it (type imports
// included), so there is no import cycle between folders. model/ imports nothing of src/; the
// handler (src/handler.ts) is the top; cdk/ and client/ stand apart. test/lint-layers.test.ts shows
// the rule firing.
const LAYERS = ['model', 'read', 'config', 'decide', 'log', 'respond', 'look-up'];
const APART = ['cdk', 'client'];
const importsOf = (folders) => folders.map((folder) => `**/${folder}/**`);
const layerRules = [
  ...LAYERS.map((folder, index) => ({
    files: [`src/${folder}/**/*.ts`],
    forbidden: folder === 'model' ? ['../**'] : [...importsOf([...LAYERS.slice(index + 1), ...APART]), '**/handler.js'],
  })),
  {
    files: ['src/cdk/**/*.ts'],
    forbidden: [...importsOf(['decide', 'log', 'respond', 'look-up', 'client']), '**/handler.js'],
  },
  // The client is published on its own: of the function it takes only the refusal texts, which its
  // build bundles (the model imports nothing, so nothing else comes with them).
  { files: ['src/client/**/*.ts'], forbiddenRegex: String.raw`^\.\./(?!model/refusal-codes\.js$)` },
].map(({ files, forbidden, forbiddenRegex }) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            ...(forbiddenRegex === undefined ? { group: forbidden } : { regex: forbiddenRegex }),
            message: `${files[0]} may import only the layers below it (${LAYERS.join(' < ')} < handler; cdk and client stand apart): see eslint.config.mjs.`,
          },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      '.cache/',
      '.scratch/',
      // Needs @aws-amplify/backend, which this project does not install (see examples/amplify/README.md).
      'examples/amplify/amplify/auth/resource.ts',
      'examples/amplify/amplify/auth/pre-sign-up/resource.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs', 'scripts/*.mjs', 'tools/local/*.mjs'] } },
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        fetch: 'readonly',
        TextDecoder: 'readonly',
        structuredClone: 'readonly',
        performance: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Template literals with numbers are the clearest way to write messages.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `() => server.close()` reads fine; braces would add noise, not clarity.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      eqeqeq: 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Literal[regex.pattern=/\\\\[pP]\\{/]',
          message:
            'A regex literal with \\p{…} costs every cold start its ICU tables at parse time: use patternOnFirstUse (src/read/pattern-on-first-use.ts).',
        },
      ],
    },
  },
  ...layerRules,
  {
    // Test doubles implement async interfaces (FactGatherer) without awaiting anything.
    files: ['test/**/*.ts'],
    // vitest's asymmetric matchers (expect.any, expect.stringContaining) are typed `any`.
    rules: { '@typescript-eslint/require-await': 'off', '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    // Plain JavaScript (build, scripts, paths): no types to check against.
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
