import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import type { WssSignOptions } from '../../src/cli/commands/wss.ts';
import { createContext } from '../../src/cli/context.ts';
import { wssSignText } from '../../src/cli/wss-sign-impl.ts';
import { readStdin } from '../../src/cli/wss-stdin.ts';
import { wssVerifyText } from '../../src/cli/wss-verify-impl.ts';
import { FrozenClock } from '../../src/clock.ts';
import { isPasserelleError } from '../../src/errors.ts';
import { encodePkcs12 } from '../../src/pki/encode-pkcs12.ts';
import { verifyEnvelope } from '../../src/wss/verify.ts';
import { TEST_NOW, testPki } from '../_support/credentials.ts';
import { captureIo, tempDir } from '../_support/tmp.ts';
import { requestEnvelope } from '../wss/_helpers.ts';

const pki = await testPki();

function setup(t: { after: (fn: () => void) => void }) {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'ca.pem'), pki.ca.certificate.toString());
  writeFileSync(join(dir, 'rsa.crt'), pki.rsa.certificate.toString());
  writeFileSync(
    join(dir, 'rsa.key'),
    pki.rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 's3cret' }),
  );
  writeFileSync(join(dir, 'ec.p12'), encodePkcs12(pki.ec, 'p12-pass'));
  writeFileSync(join(dir, 'pw.txt'), 'p12-pass\n');
  const cap = captureIo();
  const ctx = (json = false) =>
    createContext(
      cap.io,
      { json },
      { clock: new FrozenClock(TEST_NOW), cwd: dir, processEnv: { KEY_PW: 's3cret' } },
    );
  return { dir, cap, ctx };
}

const signOpts = (o: Partial<WssSignOptions>): WssSignOptions => ({
  alg: 'auto',
  inclusiveNamespaces: true,
  ...o,
});

test('wss sign (--cert/--key, --password-env) then wss verify prints the signer and the signed parts', async (t) => {
  const { cap, ctx } = setup(t);
  assert.equal(
    await wssSignText(
      ctx(),
      signOpts({ cert: 'rsa.crt', key: 'rsa.key', passwordEnv: 'KEY_PW', ttl: '120' }),
      requestEnvelope(),
    ),
    0,
  );
  const signed = cap.stdout;
  assert.match(signed, /<wsu:Expires>2026-06-15T10:02:00.000Z</);
  assert.doesNotMatch(signed, /s3cret/);
  assert.equal(await wssVerifyText(ctx(), { ca: ['ca.pem'] }, signed), 0);
  assert.match(cap.stdout, /verified: signed by .*CN=urn:be:test:app:rsa/);
  assert.match(cap.stdout, /signed parts: timestamp, body, bst/);
});

test('wss sign --p12 --password-file --no-inclusive-namespaces, verify --json --require body,timestamp', async (t) => {
  const { cap, ctx } = setup(t);
  await wssSignText(
    ctx(),
    signOpts({ p12: 'ec.p12', passwordFile: 'pw.txt', inclusiveNamespaces: false, alg: 'ecdsa-sha256' }),
    requestEnvelope(),
  );
  const signed = cap.stdout;
  assert.match(signed, /ecdsa-sha256/);
  assert.doesNotMatch(signed, /InclusiveNamespaces/);
  const before = cap.stdout.length;
  await wssVerifyText(ctx(true), { ca: ['ca.pem'], require: 'body,timestamp' }, signed);
  const out = JSON.parse(cap.stdout.slice(before));
  assert.equal(out.ok, true);
  assert.deepEqual(out.signedParts, ['timestamp', 'body', 'bst']);
  assert.equal(out.signer.fingerprint256, pki.ec.certificate.fingerprint256);
});

test('wss CLI usage errors: --alg that does not fit the key, two credentials, bad --require / --ttl', async (t) => {
  const { ctx } = setup(t);
  const usage = (e: unknown) => isPasserelleError(e, 'ERR_USAGE');
  await assert.rejects(
    wssSignText(
      ctx(),
      signOpts({ p12: 'ec.p12', passwordFile: 'pw.txt', alg: 'rsa-sha256' }),
      requestEnvelope(),
    ),
    usage,
  );
  await assert.rejects(
    wssSignText(ctx(), signOpts({ p12: 'ec.p12', cert: 'rsa.crt', key: 'rsa.key' }), requestEnvelope()),
    usage,
  );
  await assert.rejects(
    wssSignText(
      ctx(),
      signOpts({ cert: 'rsa.crt', key: 'rsa.key', passwordEnv: 'KEY_PW', ttl: '301' }),
      requestEnvelope(),
    ),
    usage,
  );
  await assert.rejects(
    wssVerifyText(ctx(), { ca: ['ca.pem'], require: 'body,head' }, requestEnvelope()),
    usage,
  );
  await assert.rejects(wssVerifyText(ctx(), { ca: ['ca.pem'] }, requestEnvelope()), (e) =>
    isPasserelleError(e, 'ERR_WSS_NO_SECURITY'),
  );
  await assert.rejects(wssVerifyText(ctx(), {}, requestEnvelope()), usage);
});

test('wss verify --pin trusts that signer alone, --ca what the CA issued; a mixed file is refused, not read as a CA', async (t) => {
  const { dir, cap, ctx } = setup(t);
  await wssSignText(
    ctx(),
    signOpts({ cert: 'rsa.crt', key: 'rsa.key', passwordEnv: 'KEY_PW' }),
    requestEnvelope(),
  );
  const byRsa = cap.stdout;
  await wssSignText(ctx(), signOpts({ p12: 'ec.p12', passwordFile: 'pw.txt' }), requestEnvelope());
  const byEc = cap.stdout.slice(byRsa.length);
  writeFileSync(join(dir, 'rsa-and-ca.pem'), pki.rsa.certificate.toString() + pki.ca.certificate.toString());
  assert.equal(await wssVerifyText(ctx(), { pin: ['rsa.crt'] }, byRsa), 0);
  assert.equal(await wssVerifyText(ctx(), { ca: ['ca.pem'] }, byEc), 0);
  // the same CA issued the EC signer, but only the RSA leaf is pinned
  await assert.rejects(wssVerifyText(ctx(), { pin: ['rsa.crt'] }, byEc), (e) =>
    isPasserelleError(e, 'ERR_WSS_UNTRUSTED_SIGNER'),
  );
  await assert.rejects(wssVerifyText(ctx(), { pin: ['rsa-and-ca.pem'] }, byEc), (e) =>
    isPasserelleError(e, 'ERR_CONFIG_TRUST_PIN_MULTIPLE'),
  );
  await assert.rejects(wssVerifyText(ctx(), { ca: ['rsa-and-ca.pem'] }, byEc), (e) =>
    isPasserelleError(e, 'ERR_CONFIG_TRUST_NOT_CA'),
  );
});

/** The CLI as a process, from the sources (bin/passerelle.mjs runs the same entry compiled). */
const CLI = [
  '--import',
  import.meta.resolve('tsx'),
  new URL('../../src/cli/bin.ts', import.meta.url).pathname,
];

test('the CLI process (src/cli/bin.ts): wss sign on stdin → signed envelope; wss verify of a tampered one exits 1 with the code', async (t) => {
  const { dir } = setup(t);
  const env = { ...process.env, KEY_PW: 's3cret' };
  const sign = spawnSync(
    process.execPath,
    [...CLI, 'wss', 'sign', '--cert', 'rsa.crt', '--key', 'rsa.key', '--password-env', 'KEY_PW'],
    {
      cwd: dir,
      input: requestEnvelope(),
      encoding: 'utf8',
      env,
      timeout: 60_000,
    },
  );
  assert.equal(sign.status, 0, sign.stderr);
  // Signed with the real clock: check it at a fixed time with a skew wide enough for any run date.
  const v = verifyEnvelope(sign.stdout, {
    trust: [pki.ca.certificate],
    clock: new FrozenClock(TEST_NOW),
    maxSkewSeconds: 100 * 365 * 86_400,
  });
  assert.deepEqual(v.signedParts, ['timestamp', 'body', 'bst']);
  const verify = spawnSync(process.execPath, [...CLI, 'wss', 'verify', '--ca', 'ca.pem'], {
    cwd: dir,
    input: sign.stdout.replace('>t-1<', '>t-2<'),
    encoding: 'utf8',
    env,
    timeout: 60_000,
  });
  assert.equal(verify.status, 1);
  assert.match(verify.stderr, /^passerelle: ERR_WSS_DIGEST_MISMATCH: /);
  const json = spawnSync(process.execPath, [...CLI, '--json', 'wss', 'verify', '--ca', 'ca.pem'], {
    cwd: dir,
    input: requestEnvelope(),
    encoding: 'utf8',
    env,
    timeout: 60_000,
  });
  assert.equal(json.status, 1);
  assert.equal(JSON.parse(json.stdout).error.code, 'ERR_WSS_NO_SECURITY');
});

test('the envelope on stdin is decoded strictly: bytes that are not UTF-8 are ERR_XML_ENCODING', async () => {
  const stdin = (...chunks: Buffer[]) => Readable.from(chunks) as unknown as NodeJS.ReadStream;
  // a multi-byte character split across chunks is fine
  assert.equal(
    await readStdin(stdin(Buffer.from('<a>\xc3', 'latin1'), Buffer.from('\xa9</a>', 'latin1'))),
    '<a>é</a>',
  );
  await assert.rejects(readStdin(stdin(Buffer.from('<a>\xe9</a>', 'latin1'))), (e) =>
    isPasserelleError(e, 'ERR_XML_ENCODING'),
  );
});
