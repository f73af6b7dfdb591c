#!/usr/bin/env node
// `npm run build` (also run by `prepare`, so by `npm install` in a checkout and by `npm pack`):
// compiles src/ with tsc (tsconfig.build.json) into dist/: one ESM .js, .d.ts and .d.ts.map per
// source file, relative `.ts` imports rewritten to `.js`. Incremental (the build info lives in
// dist/, so deleting dist/ starts afresh); outputs whose source file is gone are removed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
  cwd: root,
  stdio: 'inherit',
});
if (result.status !== 0) process.exit(result.status ?? 1);

const OUTPUT = /\.(?:js|d\.ts|d\.ts\.map)$/;
function prune(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      prune(path);
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
    } else if (OUTPUT.test(name)) {
      const source = join(root, 'src', relative(dist, path).replace(OUTPUT, '.ts'));
      if (!existsSync(source)) rmSync(path);
    }
  }
}
prune(dist);
