/**
 * A 512 MiB document goes through publishEboxMessage streamed: the sandbox (in a child process)
 * stores it with its SHA-256 checked, and its peak RSS (VmHWM) stays under 150 MB.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { build } from 'esbuild';
import { Agent, request } from 'undici';
import { systemClock } from '../../../src/clock.ts';
import { eboxModule } from '../../../src/sandbox/ebox/module.ts';
import { startSandbox } from '../../../src/sandbox/host.ts';
import { signEnvelope } from '../../../src/wss/sign.ts';
import { tempDir } from '../../_support/tmp.ts';
import { publishEnvelope, SWA_TAIL, SWA_TYPE, swaHead } from './_ebox.ts';

const SIZE = 512 * 1024 * 1024;
const CHUNK = Buffer.alloc(1024 * 1024, 0x25);

test('a 512 MiB document is streamed to disk; the sandbox stays under 150 MB RSS', {
  timeout: 300_000,
}, async (t) => {
  if (process.platform !== 'linux') return t.skip('VmHWM is read from /proc (Linux)');
  const stateDir = join(tempDir(t, 'passerelle-ebox-large-'), 'state');
  // Creates the state directory's PKI, then hands the directory to the child process.
  const setup = await startSandbox({ stateDir, modules: [eboxModule()], journal: false });
  const { pki } = setup;
  await setup.close();
  // Bundled (dependencies left external) and run by plain node, as the built package runs: the
  // test measures the sandbox, not the TypeScript loader.
  // (Under node_modules/.cache so that the external packages resolve from the project.)
  const bundle = join(
    import.meta.dirname,
    '../../../node_modules/.cache/passerelle-test',
    `ebox-child-${process.pid}.mjs`,
  );
  t.after(() => rmSync(bundle, { force: true }));
  await build({
    entryPoints: [join(import.meta.dirname, '_child-sandbox.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'error',
  });
  const child = spawn(process.execPath, [bundle, stateDir], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  t.after(() => {
    child.stdin.end();
  });
  const first = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
  const soap = (JSON.parse(String(first.value)) as { soap: string }).soap;

  const baseline = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
  const hash = createHash('sha256');
  for (let i = 0; i < SIZE / CHUNK.length; i++) hash.update(CHUNK);
  const document = Buffer.alloc(0);
  const xml = signEnvelope(
    publishEnvelope(document, {
      ticket: 'LARGE',
      digest: { method: 'SHA-256', value: hash.digest('base64') },
    }),
    { credential: pki.partner.signing, clock: systemClock },
  );
  async function* body(): AsyncIterable<Buffer> {
    yield swaHead(xml);
    for (let i = 0; i < SIZE / CHUNK.length; i++) yield CHUNK;
    yield SWA_TAIL;
  }
  const agent = new Agent({
    connect: { ca: pki.ca.certPem, cert: pki.partner.tls.certPem, key: pki.partner.tls.keyPem },
  });
  try {
    const res = await request(soap, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': SWA_TYPE, soapaction: '""' },
      body: body() as unknown as Buffer,
    });
    const text = await res.body.text();
    assert.equal(res.statusCode, 200, text.slice(0, 500));
  } finally {
    await agent.close();
  }
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const peakKb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
  t.diagnostic(
    `sandbox peak RSS ${Math.round(peakKb / 1024)} MB (${Math.round(baseline / 1024)} MB once started)`,
  );
  assert.ok(peakKb > 0 && peakKb < 150 * 1024, `peak RSS ${Math.round(peakKb / 1024)} MB`);
  const dir = join(stateDir, 'ebox', 'documents');
  const stored = readdirSync(dir).filter((f) => !f.startsWith('.'));
  assert.equal(stored.length, 1);
  assert.equal(statSync(join(dir, stored[0]!)).size, SIZE);
});
