/**
 * The layer rules of ARCHITECTURE.md, read from the import graph of src/:
 * - a `_` file is private to its folder: only files in that folder (or below it) import it;
 * - the top-level folders (layers) form no cycle.
 * The checker is proven on a small tree that breaks both rules, then run on src/.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from './_support/tmp.ts';

const SPECIFIER =
  /(?:^|[\s;])(?:import|export)\s[^'"`]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)|^import\s+['"](\.{1,2}\/[^'"]+)['"]/gm;

interface Graph {
  /** "importer -> imported `_` file" for every `_` file imported from outside its folder. */
  readonly privateImports: string[];
  /** Top-level folder → the top-level folders it imports. */
  readonly layers: Map<string, Set<string>>;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

function readGraph(root: string): Graph {
  const privateImports: string[] = [];
  const layers = new Map<string, Set<string>>();
  const layerOf = (file: string): string => {
    const parts = relative(root, file).split(sep);
    return parts.length > 1 ? parts[0]! : '(root)';
  };
  for (const file of tsFiles(root)) {
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(SPECIFIER)) {
      const target = resolve(dirname(file), (m[1] ?? m[2] ?? m[3])!);
      if (!target.startsWith(root + sep)) continue;
      const folder = dirname(target);
      const importer = dirname(file);
      const isPrivate = target.slice(folder.length + 1).startsWith('_');
      if (isPrivate && importer !== folder && !importer.startsWith(folder + sep)) {
        privateImports.push(`${relative(root, file)} -> ${relative(root, target)}`);
      }
      const [from, to] = [layerOf(file), layerOf(target)];
      if (from !== to) {
        if (!layers.has(from)) layers.set(from, new Set());
        layers.get(from)!.add(to);
      }
    }
  }
  return { privateImports, layers };
}

/** Every cycle's folders, as "a -> b -> a" strings (one per strongly connected component). */
function cycles(layers: Map<string, Set<string>>): string[] {
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    path.push(node);
    for (const next of layers.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next].join(' -> '));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of [...layers.keys()].sort()) if (!state.has(node)) visit(node);
  return found;
}

describe('import graph', () => {
  it('the checker finds a private import across folders and a cycle of folders', (t) => {
    const root = tempDir(t, 'passerelle-graph-');
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    write('a/_private.ts', 'export const x = 1;\n');
    write(
      'a/public.ts',
      "import { x } from './_private.ts';\nimport { y } from '../b/index.ts';\nexport const z = x + y;\n",
    );
    write('a/inner/ok.ts', "export { x } from '../_private.ts';\n");
    write('b/index.ts', "export const y = 2;\nexport const lazy = () => import('../a/_private.ts');\n");
    write('c/index.ts', "import type { z } from '../a/public.ts';\n");
    const graph = readGraph(root);
    assert.deepEqual(graph.privateImports, ['b/index.ts -> a/_private.ts']);
    assert.deepEqual(cycles(graph.layers), ['a -> b -> a']);
  });

  it("src/: no folder imports another folder's _ file, and the layers form no cycle", () => {
    const graph = readGraph(resolve(import.meta.dirname, '../src'));
    assert.ok(graph.layers.size > 10, 'the graph of src/ was read');
    assert.deepEqual(graph.privateImports, []);
    assert.deepEqual(cycles(graph.layers), []);
  });
});
