#!/usr/bin/env node
// npm run test:contract [-- --long] [other jest arguments]: the spec-driven contract suite, bounded by default.
const { spawnSync } = require('node:child_process');
const args = process.argv.slice(2);
const long = args.includes('--long');
const env = { ...process.env, CONTRACT_RUNS: process.env.CONTRACT_RUNS ?? (long ? '300' : '25') };
const jest = require.resolve('jest/bin/jest');
const result = spawnSync(process.execPath, [jest, '-c', 'jest.contract.config.js', ...args.filter((arg) => arg !== '--long')], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
