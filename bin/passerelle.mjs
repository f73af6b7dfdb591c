#!/usr/bin/env node
// Runs the compiled CLI with plain node (no loader): dist/ is built by `npm run build`, which
// `npm install` (prepare) and `npm pack` run. From a checkout without dist/, say so.
try {
  await import('../dist/cli/bin.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('/dist/cli/bin.js')) throw error;
  process.stderr.write('passerelle: dist/ is missing; run `npm run build` in the checkout first\n');
  process.exitCode = 1;
}
