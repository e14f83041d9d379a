/** The contract suite (test/contract): `npm run test:contract` (`-- --long` for a longer run). */
const base = require('./jest.config.js');
const e2e = base.projects.find((project) => project.displayName === 'e2e');
module.exports = { ...e2e, displayName: 'contract', testMatch: ['<rootDir>/test/contract/**/*.contract-spec.ts'] };
