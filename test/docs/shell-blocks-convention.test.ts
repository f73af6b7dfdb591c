/** The doc-test convention itself: which blocks run, how a skip is said, how a session fails. */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { tempDir } from '../_support/tmp.ts';
import { extractShellBlocks, ShellSession } from './_shell-blocks.ts';

const dir = tempDir({ after }, 'passerelle-doc-session-');

test('sh, bash and console blocks are extracted with their line; other languages are not', () => {
  const md = [
    '# Title', // 1
    '',
    '```sh', // 3
    'echo one',
    '```',
    '```yaml', // 6
    'a: 1',
    '```',
    '- a list item:', // 9
    '  ```bash', // 10
    '  echo two',
    '  ```',
    '```console', // 13
    '$ echo three \\',
    '  and more',
    'three and more',
    '$ echo four',
    '```',
  ].join('\n');
  assert.deepEqual(extractShellBlocks(md, 'x.md'), [
    { where: 'x.md:3', line: 3, script: 'echo one' },
    { where: 'x.md:10', line: 10, script: 'echo two' },
    { where: 'x.md:13', line: 13, script: 'echo three \\\n  and more\necho four' },
  ]);
});

test('a skip directive on the line before a block carries its reason', () => {
  const md = [
    '<!-- doc-test: skip (needs the real platform) -->',
    '',
    '```sh',
    'exit 1',
    '```',
    '```sh',
    'true',
    '```',
  ];
  const blocks = extractShellBlocks(md.join('\n'), 'x.md');
  assert.equal(blocks[0]?.skip, 'needs the real platform');
  assert.equal(blocks[1]?.skip, undefined, 'a directive applies to the next block only');
});

test('a skip without a reason, an unknown directive or a skip before a block that never runs is an error', () => {
  const wrap = (directive: string, lang = 'sh') => `${directive}\n\`\`\`${lang}\ntrue\n\`\`\`\n`;
  assert.throws(
    () => extractShellBlocks(wrap('<!-- doc-test: skip -->'), 'x.md'),
    /x\.md:2: write the directive/,
  );
  assert.throws(() => extractShellBlocks(wrap('<!-- doc-test: skip () -->'), 'x.md'), /write the directive/);
  assert.throws(() => extractShellBlocks(wrap('<!-- doc-test: run -->'), 'x.md'), /write the directive/);
  assert.throws(() => extractShellBlocks(wrap('<!-- doc-test: skip (why) -->', 'yaml'), 'x.md'), /never run/);
  assert.throws(() => extractShellBlocks('```sh\ntrue\n', 'x.md'), /x\.md:1: unclosed code fence/);
});

test('blocks share one shell; a failing command ends the block with its exit status and stderr', async () => {
  const session = new ShellSession({ cwd: dir, scratch: dir, env: { PATH: process.env['PATH'] } });
  try {
    assert.deepEqual(
      { ...(await session.run('greeting=hello; cd /; echo "$greeting"', 10_000)), ms: 0 },
      { stdout: 'hello\n', stderr: '', ms: 0 },
    );
    const second = await session.run('echo "$greeting from $PWD"\necho oops >&2; false\necho never', 10_000);
    assert.equal(second.exitCode, 1);
    assert.equal(second.stdout, 'hello from /\n');
    assert.equal(second.stderr, 'oops\n');
    assert.equal(await session.close(), false);
  } finally {
    session.kill();
  }
});

test('an unset variable and a failure inside a pipeline fail the block too', async () => {
  for (const script of ['echo "$not_set"', 'false | cat']) {
    const session = new ShellSession({ cwd: dir, scratch: dir, env: { PATH: process.env['PATH'] } });
    try {
      assert.notEqual((await session.run(script, 10_000)).exitCode, undefined, script);
    } finally {
      session.kill();
    }
  }
});

test('a block that hangs times out; a process left running is reported and stopped', async () => {
  const hung = new ShellSession({ cwd: dir, scratch: dir, env: { PATH: process.env['PATH'] } });
  try {
    const result = await hung.run('echo started; sleep 30', 300);
    assert.equal(result.timedOut, true);
    assert.equal(result.stdout, 'started\n');
  } finally {
    hung.kill();
  }

  const leaky = new ShellSession({
    cwd: dir,
    scratch: dir,
    env: { PATH: process.env['PATH'] },
    graceMs: 200,
  });
  try {
    assert.equal((await leaky.run('sleep 300 &', 10_000)).exitCode, undefined);
    assert.equal(await leaky.close(), true);
    assert.match(leaky.leftover, /sleep 300/);
  } finally {
    leaky.kill();
  }
});
