#!/usr/bin/env node
// Runs the TypeScript sources directly (SWC, no build step) so `npx paylend` works right after `npm install`.
const path = require('node:path');
const root = path.resolve(__dirname, '..', '..', '..');
process.env.SWC_NODE_PROJECT = path.join(root, 'tsconfig.base.json');
require('@swc-node/register');
require('../src/main.ts')
  .main(process.argv)
  .then((code) => {
    // exitCode, not exit(): a large output piped to another program must be written out in full first.
    process.exitCode = code ?? 0;
  })
  .catch((err) => {
    process.stderr.write(`paylend: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
