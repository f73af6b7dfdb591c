import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { after, test } from 'node:test';
import { main } from '../../../src/cli/main.ts';
import { isPasserelleError } from '../../../src/errors.ts';
import { generatedDigest, MTOM_TEST, mtomDownload, mtomUpload } from '../../../src/services/mtom/index.ts';
import { createServiceContext } from '../../../src/services/service-context.ts';
import { mtomCall } from '../../../src/soap/mtom/index.ts';
import { signMtomEnvelope } from '../../../src/wss/mtom.ts';
import { captureIo } from '../../_support/tmp.ts';
import { startMtomSandbox, uploadRequest } from './_sandbox.ts';

const { sandbox, clock, log, environment, dir } = await startMtomSandbox({ after });
const services = await createServiceContext(environment, { clock, processEnv: {} });
after(() => services.close());
const url = `${sandbox.endpoints['cbss.mtom']}${MTOM_TEST.path}`;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('the sandbox publishes cbss.mtom and the client config points at it', () => {
  assert.match(sandbox.endpoints['cbss.mtom'] ?? '', /^https:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(environment.endpoints['cbss.mtom']?.url, sandbox.endpoints['cbss.mtom']);
});

test('mtom upload: two files, signed over their content, answered with each size and SHA-256 (reply signature verified)', async () => {
  const a = randomBytes(3 * 1024 * 1024 + 17);
  const b = Buffer.from('');
  writeFileSync(join(dir, 'a.pdf'), a);
  writeFileSync(join(dir, 'b.txt'), b);
  const r = await mtomUpload(services, {
    files: [{ path: join(dir, 'a.pdf'), contentType: 'application/pdf' }, { path: join(dir, 'b.txt') }],
  });
  assert.deepEqual(
    r.documents.map((d) => [d.name, d.size, d.sha256]),
    [
      ['a.pdf', a.length, sha(a)],
      ['b.txt', 0, sha(b)],
    ],
  );
  assert.equal(r.replySigner?.fingerprint256, sandbox.pki.platformSigning.certificate.fingerprint256);
  assert.ok((sandbox.modules['soa-mtom']?.stats?.()['uploads'] ?? 0) >= 1);
});

test('mtom download: generated content streams out, reply signature over the attachment checked, digest as expected', async () => {
  const size = 5 * 1024 * 1024 + 3;
  const d = await mtomDownload(services, { size, seed: 'test-seed' });
  const out = join(dir, 'download.bin');
  await pipeline(d.stream, createWriteStream(out));
  const got = await d.done();
  assert.equal(got.size, size);
  assert.equal(got.sha256, await generatedDigest('test-seed', size));
  assert.equal(sha(readFileSync(out)), got.sha256);
  assert.equal(d.replySigner?.fingerprint256, sandbox.pki.platformSigning.certificate.fingerprint256);
});

test('an attachment changed after signing is refused with SOA-01001 (the sandbox logs ERR_WSS_DIGEST_MISMATCH)', async () => {
  const contentId = 'doc@test';
  const xml = uploadRequest(contentId);
  const signed = await signMtomEnvelope(xml, [{ contentId, source: { data: Buffer.from('original') } }], {
    credential: services.signingCredential(),
    clock,
  });
  await assert.rejects(
    mtomCall(services.transport, url, {
      action: MTOM_TEST.uploadAction,
      envelope: signed,
      attachments: [{ contentId, source: { data: Buffer.from('tampered') } }],
    }),
    (e) => isPasserelleError(e, 'ERR_SOAP_FAULT') && e.details['soaCode'] === 'SOA-01001',
  );
  assert.ok(log.entries.some((e) => String(e.fields['reason']).startsWith('ERR_WSS_DIGEST_MISMATCH')));
  // A reference to a part that is not in the package: SOA-03001, ERR_MTOM_MISSING_PART in the log.
  const missing = await signMtomEnvelope(xml, [{ contentId, source: { data: Buffer.from('x') } }], {
    credential: services.signingCredential(),
    clock,
  });
  await assert.rejects(
    mtomCall(services.transport, url, { action: MTOM_TEST.uploadAction, envelope: missing, attachments: [] }),
    (e) => isPasserelleError(e, 'ERR_SOAP_FAULT') && e.details['soaCode'] === 'SOA-03001',
  );
  assert.ok(log.entries.some((e) => String(e.fields['reason']).startsWith('ERR_MTOM_MISSING_PART')));
});

test('CLI: call mtom:upload --file F --file G and call mtom:download --size N --out F', async () => {
  const run = async (...args: string[]) => {
    const cap = captureIo();
    const status = await main(
      ['node', 'passerelle', '--config', sandbox.configPath, '--env', 'sandbox', ...args],
      { io: cap.io, clock, cwd: dir, env: {} },
    );
    return { status, stdout: cap.stdout, stderr: cap.stderr };
  };
  writeFileSync(join(dir, 'f.bin'), 'hello');
  writeFileSync(join(dir, 'g.bin'), randomBytes(70_000));
  const up = await run('--json', 'call', 'mtom:upload', '--file', 'f.bin', '--file', 'g.bin');
  assert.equal(up.status, 0, up.stderr);
  const out = JSON.parse(up.stdout);
  assert.deepEqual(
    out.documents.map((d: { size: number }) => d.size),
    [5, 70_000],
  );
  assert.equal(out.documents[0].sha256, sha(Buffer.from('hello')));
  const down = await run('call', 'mtom:download', '--size', '1M', '--out', 'got.bin');
  assert.equal(down.status, 0, down.stderr);
  assert.match(down.stdout, /mtom:download on sandbox: ok/);
  assert.equal(sha(readFileSync(join(dir, 'got.bin'))), await generatedDigest('passerelle', 1024 * 1024));
  const bad = await run('call', 'mtom:download', '--size', 'lots', '--out', 'x.bin');
  assert.equal(bad.status, 2);
});
