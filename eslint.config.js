import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/out/', '.deskpulse/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Pages that run in a browser: the dashboard (ES module) and the Zendesk app (classic script).
    files: ['web/**/*.js'],
    languageOptions: { globals: { ...globals.browser, uPlot: 'readonly' }, sourceType: 'module' },
  },
  {
    files: ['manifests/zendesk/assets/**/*.js'],
    languageOptions: { globals: { ...globals.browser, ZAFClient: 'readonly' }, sourceType: 'script' },
  },
);
