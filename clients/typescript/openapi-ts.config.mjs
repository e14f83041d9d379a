// Generates src/generated from the service's committed OpenAPI document (`npm run sdk:generate` at the root).
// The output is committed; CI regenerates it and fails when it differs.
export default {
  input: '../../openapi.json',
  output: 'src/generated',
  plugins: [
    { name: '@hey-api/client-fetch', throwOnError: true },
    '@hey-api/typescript',
    { name: '@hey-api/sdk', operations: { strategy: 'single', containerName: 'ModelWatchApi', methods: 'instance' }, responseStyle: 'data' },
  ],
};
