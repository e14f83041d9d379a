// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', 'node_modules/**', 'coverage/**', 'data/**', '**/*.js', '**/*.mjs', 'clients/typescript/src/generated/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [{ group: ['../../*'], message: "Use absolute imports from 'src/…'." }] }],
    },
  },
  {
    files: ['src/**/*.dto.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'class-validator',
              importNames: ['IsOptional'],
              message:
                "Use IsOptional/IsNullable from 'src/common/validation/validators' (null is refused unless documented nullable).",
            },
          ],
          patterns: [{ group: ['../../*'], message: "Use absolute imports from 'src/…'." }],
        },
      ],
    },
  },
  {
    // the dashboard: pages and app code never import the chart library (src/charts/ wraps it) and never call fetch
    // (src/api/ is the only place that knows URLs)
    files: ['web/src/**/*.ts'],
    ignores: ['web/src/charts/**', 'web/src/api/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['echarts', 'echarts/*'], message: 'Charts go through web/src/charts/.' },
            { group: ['../../*'], message: "Use absolute imports from '@/…'." },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'API calls go through web/src/api/.' }],
    },
  },
  {
    files: ['src/**/*.service.ts', 'src/**/*.controller.ts', 'src/**/*.stats.ts', 'src/**/*.policy.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'typeorm', message: 'Services, controllers and pure logic never import typeorm: repositories own the SQL.' }],
          patterns: [{ group: ['../../*'], message: "Use absolute imports from 'src/…'." }],
        },
      ],
    },
  },
);
