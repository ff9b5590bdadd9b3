#!/usr/bin/env node
// Launches tools/db/db.ts through SWC, so the database tooling runs from the TypeScript sources.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
process.env.SWC_NODE_PROJECT = join(root, 'tsconfig.base.json');
const require = createRequire(import.meta.url);
require('@swc-node/register');
const { run } = require('./db.ts');
run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`[db] ${err.message}\n`);
    process.exit(1);
  },
);
