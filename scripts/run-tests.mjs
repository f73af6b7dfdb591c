#!/usr/bin/env node
// Runs every test file under test/ with Node's test runner through tsx. Node 20 does not
// expand globs, so the files are listed explicitly here. Extra arguments filter by path. The
// timeout (5 min) bounds each test and each file: the guide's shell blocks alone take about 2 min.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const passthrough = process.argv.slice(2).filter((a) => a.startsWith('--'));

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'vectors' || name === 'node_modules') return [];
    return statSync(path).isDirectory() ? walk(path) : name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = walk(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', ...passthrough, ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, PASSERELLE_TEST: '1' } },
);
process.exit(result.status ?? 1);
