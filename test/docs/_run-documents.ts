/**
 * Docs that run (the runner; each test file names its documents): every shell block of README.md, docs/guide.md and docs/configuration.md runs,
 * in document order, in one bash session per document (strict mode) started in an empty
 * directory, with `passerelle` on PATH running this checkout's CLI from its sources. The
 * documents start and stop the sandbox themselves, in the background, exactly as written; a
 * document that leaves a process running fails. A block marked
 * `<!-- doc-test: skip (REASON) -->` is reported as skipped with its reason.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { tempDir } from '../_support/tmp.ts';
import { extractShellBlocks, ShellSession } from './_shell-blocks.ts';

const root = new URL('../..', import.meta.url).pathname;
const BLOCK_TIMEOUT_MS = 60_000;

/** Runs every shell block of `documents` (paths from the repository root), one session each. */
export function runDocuments(documents: readonly string[]): void {
  const scratch = tempDir({ after }, 'passerelle-doc-blocks-');
  const bin = join(scratch, 'bin');
  mkdirSync(bin);
  // The CLI from the sources through tsx, as the dev loop runs it: no dist/ build to go stale.
  writeFileSync(
    join(bin, 'passerelle'),
    `#!/bin/sh\nexec '${process.execPath}' --import '${import.meta.resolve('tsx')}' '${join(root, 'src/cli/bin.ts')}' "$@"\n`,
  );
  chmodSync(join(bin, 'passerelle'), 0o755);

  /** The test runner's environment without any PASSERELLE_* setting, with the shim first on PATH. */
  function documentEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PASSERELLE_')) env[k] = v;
    env['PATH'] = `${bin}:${process.env['PATH'] ?? ''}`;
    return env;
  }

  const tail = (text: string, lines = 40): string => text.trimEnd().split('\n').slice(-lines).join('\n');
  const counts = { run: 0, skipped: 0 };
  const notRun: string[] = [];

  for (const doc of documents) {
    describe(doc, () => {
      const blocks = extractShellBlocks(readFileSync(join(root, doc), 'utf8'), doc);
      const cwd = join(scratch, doc.replace(/\W/g, '_'));
      const work = `${cwd}.scratch`;
      mkdirSync(cwd);
      mkdirSync(work);
      // As in a project that depends on passerelle: the package (its contracts/) under node_modules.
      mkdirSync(join(cwd, 'node_modules'));
      symlinkSync(root, join(cwd, 'node_modules', 'passerelle'), 'dir');
      let session: ShellSession | undefined;
      let failed: string | undefined;
      after(() => session?.kill());

      for (const block of blocks) {
        if (block.skip !== undefined) {
          // Not a skipped test: under CI a skip means a missing peer. The block is reported with
          // its reason by the summary test.
          counts.skipped++;
          notRun.push(`${block.where} not run: ${block.skip}`);
          continue;
        }
        test(block.where, async (t) => {
          if (failed !== undefined) return t.skip(`not run: ${failed} failed before it`);
          counts.run++;
          session ??= new ShellSession({ cwd, scratch: work, env: documentEnv() });
          const result = await session.run(block.script, BLOCK_TIMEOUT_MS);
          if (result.exitCode !== undefined || result.timedOut) {
            failed = block.where;
            assert.fail(
              [
                `${block.where}: ${result.timedOut ? `timed out after ${BLOCK_TIMEOUT_MS / 1000} s` : `failed (exit ${result.exitCode})`}`,
                '--- block',
                block.script,
                '--- stderr',
                tail(result.stderr),
                '--- stdout (end)',
                tail(result.stdout, 20),
              ].join('\n'),
            );
          }
        });
      }

      test(`${doc}: leaves nothing running`, async (t) => {
        if (session === undefined) return;
        if (failed !== undefined) {
          session.kill();
          return t.skip(`${failed} failed: whatever the document had started was stopped`);
        }
        const leftover = await session.close();
        assert.equal(
          leftover,
          false,
          `${doc} leaves a process running after its last block (stop the sandbox it started):\n${session.leftover}`,
        );
      });
    });
  }

  test('summary', (t) => {
    t.diagnostic(`doc blocks: ${counts.run} run, ${counts.skipped} marked skip`);
    for (const line of notRun) t.diagnostic(line);
    assert.ok(counts.run > 0, 'no shell block ran');
  });
}
