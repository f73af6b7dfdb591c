import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { isPasserelleError } from '../../src/errors.ts';
import { startSandbox } from '../../src/sandbox/host.ts';
import type { SandboxModule, SandboxModuleContext } from '../../src/sandbox/module.ts';
import { TEST_NOW } from '../_support/credentials.ts';
import { tempDir } from '../_support/tmp.ts';

const clock = new FrozenClock(TEST_NOW);
// One state dir (one dev PKI) for the whole file: each test starts and stops the host on it.
const stateDir = join(tempDir({ after }, 'passerelle-modules-'), 'state');
before(async () => {
  await (await startSandbox({ stateDir, clock, modules: [] })).close();
});

function probeModule(
  name: string,
  ports: Record<string, number>,
  seen: SandboxModuleContext[],
  closed: string[],
): SandboxModule {
  return {
    name,
    ports,
    async start(ctx) {
      seen.push(ctx);
      ctx.log.info(
        {
          password: 'hunter2',
          nested: { access_token: 'abc' },
          note: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.sig',
        },
        'probe started',
      );
      return {
        endpoints: {
          [`${name}.url`]: `https://127.0.0.1:${ctx.port(Object.keys(ports)[0] ?? 'x')}/`,
          'cbss.soap': `https://127.0.0.1:1/${name}`,
        },
        stats: () => ({ calls: 3 }),
        clientConfig: { oauth: { scope: 'scope:demo' } },
        close: async () => void closed.push(name),
      };
    },
  };
}

test('modules get port-base + offset, seeded randomness, the clock, a tagged log; secrets are scrubbed', async () => {
  const seen: SandboxModuleContext[] = [];
  const closed: string[] = [];
  const s = await startSandbox({
    stateDir,
    clock,
    portBase: 20000,
    seed: 42,
    modules: [probeModule('a', { main: 20 }, seen, closed)],
  });
  try {
    const ctx = seen[0]!;
    assert.equal(ctx.port('main'), 20020);
    assert.throws(() => ctx.port('undeclared'), TypeError);
    assert.equal(ctx.clock, clock);
    assert.equal(s.clientConfig.environments?.['sandbox']?.endpoints?.['cbss.soap'], 'https://127.0.0.1:1/a');
    assert.equal(
      s.clientConfig.environments?.['sandbox']?.endpoints?.['a.url' as 'sftp'],
      undefined,
      'unknown names stay out of the config',
    );
    assert.equal(s.clientConfig.environments?.['sandbox']?.oauth?.scope, 'scope:demo');
    const entry = s.recentLog(50).find((e) => e.msg === 'probe started')!;
    assert.equal(entry.module, 'a');
    assert.deepEqual(entry.fields, {
      password: '[redacted]',
      nested: { access_token: '[redacted]' },
      note: '[redacted]',
    });
  } finally {
    await s.close();
  }
  assert.deepEqual(closed, ['a']);
  const draws = [seen[0]!.random(), seen[0]!.random()];
  const again: SandboxModuleContext[] = [];
  const s2 = await startSandbox({
    stateDir,
    clock,
    seed: 42,
    modules: [probeModule('a', { main: 20 }, again, [])],
  });
  await s2.close();
  assert.deepEqual([again[0]!.random(), again[0]!.random()], draws, 'same seed, same draws');
  assert.equal(again[0]!.port('main'), 0, 'no port-base: ephemeral');
});

test('a module that fails to start stops the started ones: ERR_SANDBOX_START', async () => {
  const closed: string[] = [];
  const failing: SandboxModule = { name: 'broken', start: async () => Promise.reject(new Error('boom')) };
  await assert.rejects(
    startSandbox({ stateDir, clock, modules: [probeModule('a', { main: 1 }, [], closed), failing] }),
    (e) => isPasserelleError(e, 'ERR_SANDBOX_START') && e.details['module'] === 'broken',
  );
  assert.deepEqual(closed, ['a']);
  // The lock was released: the state dir can be used again.
  await (await startSandbox({ stateDir, clock, modules: [] })).close();
});

test('a taken fixed port gives ERR_SANDBOX_START with a hint', async (t) => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.after(() => blocker.close());
  const port = (blocker.address() as { port: number }).port;
  const { consoleModule } = await import('../../src/sandbox/console/module.ts');
  await assert.rejects(startSandbox({ stateDir, clock, portBase: port, modules: [consoleModule()] }), (e) => {
    assert.ok(isPasserelleError(e, 'ERR_SANDBOX_START'));
    assert.match(e.hint ?? '', /port/);
    return true;
  });
});

test('conflicting offsets or endpoint names are refused; bad options are TypeErrors', async () => {
  await assert.rejects(
    startSandbox({
      stateDir,
      clock,
      portBase: 20000,
      modules: [probeModule('a', { x: 5 }, [], []), probeModule('b', { y: 5 }, [], [])],
    }),
    (e) => isPasserelleError(e, 'ERR_SANDBOX_START'),
  );
  await assert.rejects(
    startSandbox({
      stateDir,
      clock,
      modules: [probeModule('a', { x: 5 }, [], []), probeModule('b', { y: 6 }, [], [])],
    }),
    (e) => isPasserelleError(e, 'ERR_SANDBOX_START') && e.details['endpoint'] === 'cbss.soap',
  );
  await assert.rejects(startSandbox({ stateDir, clock, portBase: 65500, modules: [] }), TypeError);
  await assert.rejects(
    startSandbox({ stateDir, clock, modules: [probeModule('a', {}, [], []), probeModule('a', {}, [], [])] }),
    TypeError,
  );
});
