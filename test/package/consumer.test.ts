/**
 * The package as a user gets it: `npm pack` (which builds dist/ through `prepare`), the tarball
 * installed into a fresh project, then used from plain node (no tsx), type-checked from a strict
 * node16 TypeScript project against the published declarations, and run as the installed CLI:
 * its start-up loads only what the command needs, and a 256 MiB MTOM upload and download stay
 * under 150 MB peak RSS with no node flags.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { tempDir } from '../_support/tmp.ts';

const root = new URL('../..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  exports: Record<string, { types: string; import: string }>;
};
const SUBPATHS = Object.keys(pkg.exports).map((k) => `passerelle/${k.slice(2)}`);
const work = tempDir({ after }, 'passerelle-consumer-');
const app = join(work, 'app');

function run(command: string, args: string[], cwd: string, timeout = 300_000) {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, CI: '' } });
  if (r.error) throw r.error;
  return r;
}

let packed: { filename: string; size: number; unpackedSize: number; files: { path: string }[] };

before(() => {
  const pack = run('npm', ['pack', '--json', '--pack-destination', work], root);
  assert.equal(pack.status, 0, pack.stderr);
  packed = JSON.parse(pack.stdout)[0];
  mkdirSync(app);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2),
  );
  // From the local npm cache when it holds every dependency; the registry otherwise.
  const install = run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, packed.filename)],
    app,
  );
  assert.equal(install.status, 0, install.stderr);
});

test('the tarball holds the compiled package only: dist/, README, package.json, the bin, the contracts', (t) => {
  t.diagnostic(
    `${packed.filename}: ${(packed.size / 1024).toFixed(0)} KiB packed, ${(packed.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${packed.files.length} files`,
  );
  const files = packed.files.map((f) => f.path);
  const unexpected = files.filter(
    (f) =>
      ![
        'README.md',
        'LICENSE',
        'package.json',
        'bin/passerelle.mjs',
        'docs/onboarding-answers.example.yaml',
      ].includes(f) &&
      !/^dist\/.+\.(?:js|d\.ts|d\.ts\.map)$/.test(f) &&
      !/^contracts\/(?:[\w.-]+\/)*(?:[\w.-]+\.(?:wsdl|xsd|md|yaml)|LICENSE)$/.test(f),
  );
  assert.deepEqual(unexpected, []);
  assert.ok(
    files.includes('contracts/cbss/TestConnectionService_v1.wsdl'),
    'the contracts are in the tarball',
  );
  const forbidden = files.filter((f) =>
    /(?:^|\/)(?:test|tests|bench|vectors|fixtures|scripts|src)\/|\.test\.|\.(?:pem|key|crt|p12|pfx|der|ts)$|tsbuildinfo/.test(
      f.replace(/\.d\.ts$/, '.d'),
    ),
  );
  assert.deepEqual(forbidden, []);
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    for (const file of [target.types, target.import])
      assert.ok(files.includes(file.slice(2)), `${subpath}: ${file} is in the tarball`);
  }
});

test('installing it brings no tsx and no TypeScript', () => {
  for (const dev of ['tsx', 'typescript', 'esbuild'])
    assert.equal(existsSync(join(app, 'node_modules', dev)), false, `${dev} is installed`);
});

test('plain node: every subpath imports; a dev-CA credential signs an envelope, verified, tamper refused; OAuth assertion', () => {
  writeFileSync(
    join(app, 'use.mjs'),
    `import { verify, X509Certificate } from 'node:crypto';
import { systemClock } from 'passerelle/clock';
import { createClientAssertion } from 'passerelle/oauth';
import { createDevCa, issueDevCertificate } from 'passerelle/pki';
import { signEnvelope, verifyEnvelope } from 'passerelle/wss';

for (const subpath of ${JSON.stringify(SUBPATHS)}) {
  if (!import.meta.resolve(subpath).includes('/node_modules/passerelle/dist/')) throw new Error(subpath);
  await import(subpath);
}
const ca = await createDevCa({ dir: process.argv[2], clock: systemClock });
const credential = await issueDevCertificate(ca, {
  usage: 'signing',
  subject: 'C=BE, O=Consumer, CN=consumer app',
  keyType: 'rsa-2048',
  clock: systemClock,
});
const envelope =
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><ping>hello</ping></soapenv:Body></soapenv:Envelope>';
const signed = signEnvelope(envelope, { credential });
const verified = verifyEnvelope(signed, { trust: [ca.credential.certificate] });
let tampered;
try {
  verifyEnvelope(signed.replace('>hello<', '>hullo<'), { trust: [ca.credential.certificate] });
} catch (error) {
  tampered = error.code;
}
const jwt = await createClientAssertion({ credential, clientId: 'consumer', audience: 'https://as.example/token' });
const [h, p, s] = jwt.split('.');
const jwtVerified = verify('sha256', Buffer.from(\`\${h}.\${p}\`), credential.certificate.publicKey, Buffer.from(s, 'base64url'));
console.log(JSON.stringify({
  signer: verified.signer.subject,
  signedParts: verified.signedParts,
  tampered,
  jwtVerified,
  jwt: JSON.parse(Buffer.from(p, 'base64url').toString()),
  caIsX509: ca.credential.certificate instanceof X509Certificate,
}));
`,
  );
  const r = run(process.execPath, ['use.mjs', join(work, 'ca')], app, 120_000);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.match(out.signer, /CN=consumer app/);
  assert.deepEqual(out.signedParts, ['timestamp', 'body', 'bst']);
  assert.equal(out.tampered, 'ERR_WSS_DIGEST_MISMATCH');
  assert.equal(out.jwtVerified, true);
  assert.equal(out.jwt.iss, 'consumer');
  assert.equal(out.jwt.aud, 'https://as.example/token');
  assert.equal(out.caIsX509, true);
});

test('TypeScript (node16, strict) type-checks against the published declarations and catches a type error', () => {
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const tsconfig = (files: string[], skipLibCheck = true) =>
    JSON.stringify({
      compilerOptions: {
        module: 'node16',
        moduleResolution: 'node16',
        target: 'ES2022',
        strict: true,
        noEmit: true,
        skipLibCheck,
        types: ['node'],
        typeRoots: [join(root, 'node_modules/@types')],
      },
      files,
    });
  writeFileSync(
    join(app, 'use.ts'),
    `${SUBPATHS.map((s, i) => `import * as m${i} from '${s}';`).join('\n')}
import type { Clock } from 'passerelle/clock';
import { type PasserelleError, isPasserelleError } from 'passerelle/errors';
import { type Credential, createDevCa, issueDevCertificate } from 'passerelle/pki';
import { type VerifiedEnvelope, signEnvelope, verifyEnvelope } from 'passerelle/wss';

export const modules: readonly object[] = [${SUBPATHS.map((_, i) => `m${i}`).join(', ')}];
const clock: Clock = { now: () => Date.now() };
export async function signAndVerify(dir: string, xml: string): Promise<readonly string[]> {
  const ca = await createDevCa({ dir, clock });
  const credential: Credential = await issueDevCertificate(ca, { usage: 'signing', subject: 'CN=app', clock });
  const signed: string = signEnvelope(xml, { credential, ttlSeconds: 60 });
  try {
    const v: VerifiedEnvelope = verifyEnvelope(signed, { trust: [ca.credential.certificate] });
    return v.signedParts;
  } catch (error) {
    if (isPasserelleError(error)) {
      const e: PasserelleError = error;
      throw new Error(e.code);
    }
    throw error;
  }
}
`,
  );
  writeFileSync(
    join(app, 'wrong.ts'),
    `import { signEnvelope } from 'passerelle/wss';
export const signed: number = signEnvelope('<x/>', { credential: 'not a credential' });
`,
  );
  writeFileSync(join(app, 'tsconfig.json'), tsconfig(['use.ts']));
  const good = run(process.execPath, [tsc, '-p', 'tsconfig.json'], app);
  assert.equal(good.status, 0, good.stdout + good.stderr);
  // Our declarations themselves check clean. (@peculiar/asn1-schema's, reached through the types
  // of passerelle/pki, do not under node16: TS1479 on its import of an ESM-only package.)
  writeFileSync(join(app, 'tsconfig.lib.json'), tsconfig(['use.ts'], false));
  const lib = run(process.execPath, [tsc, '-p', 'tsconfig.lib.json'], app);
  assert.ok(lib.status === 0 || /error TS/.test(lib.stdout), `tsc did not run: ${lib.stdout}${lib.stderr}`);
  const ours = lib.stdout
    .split('\n')
    .filter((l) => /error TS/.test(l) && !/^node_modules\/@peculiar\//.test(l));
  assert.deepEqual(ours, []);
  writeFileSync(join(app, 'tsconfig.wrong.json'), tsconfig(['use.ts', 'wrong.ts']));
  const bad = run(process.execPath, [tsc, '-p', 'tsconfig.wrong.json'], app);
  assert.notEqual(bad.status, 0);
  const errors = bad.stdout.split('\n').filter((l) => /error TS\d+/.test(l));
  assert.ok(errors.length >= 2, bad.stdout);
  for (const line of errors) assert.match(line, /^wrong\.ts\(2,/);
  assert.ok(
    errors.some((l) => /'string' is not assignable to type 'number'/.test(l)),
    bad.stdout,
  );
  assert.ok(
    errors.some((l) => /not assignable to type 'Credential'/.test(l)),
    bad.stdout,
  );
});

const BIN = () => join(app, 'node_modules/.bin/passerelle');

test('the installed `passerelle --help`, `--version` and `passerelle cert inspect FILE` run', () => {
  const help = run(BIN(), ['--help'], app, 60_000);
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /^Usage: passerelle /);
  // dist/cli/version.js reads the installed package.json, two folders up as from src/cli/.
  const version = run(BIN(), ['--version'], app, 60_000);
  assert.equal(version.status, 0, version.stderr);
  assert.equal(version.stdout, `${pkg.version}\n`);
  const json = run(BIN(), ['--json', '--version'], app, 60_000);
  assert.deepEqual(JSON.parse(json.stdout), { ok: true, version: pkg.version });
  const ca = run(BIN(), ['--json', 'cert', 'dev-ca', '--out', join(work, 'pki')], app, 60_000);
  assert.equal(ca.status, 0, ca.stderr);
  const inspect = run(
    BIN(),
    [
      '--json',
      'cert',
      'inspect',
      join(work, 'pki/partner-app.p12'),
      '--password-file',
      join(work, 'pki/password'),
    ],
    app,
    60_000,
  );
  assert.equal(inspect.status, 0, inspect.stderr);
  const entries = JSON.parse(inspect.stdout).entries as { kind: string; friendlyName?: string }[];
  assert.ok(
    entries.some((e) => e.kind === 'key' && e.friendlyName === 'partner-app'),
    inspect.stdout,
  );
});

/** The modules (file: URLs) a run of the installed CLI loads, from a module-loading hook. */
function loadedModules(args: string[]): string[] {
  const log = join(work, `loaded-${args.join('-').replace(/\W+/g, '_').slice(0, 40)}.txt`);
  writeFileSync(
    join(work, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(process.env.LOADED_LOG, url + '\\n');
  return next(url, context);
}
`,
  );
  writeFileSync(
    join(work, 'register.mjs'),
    `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`,
  );
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      join(work, 'register.mjs'),
      join(app, 'node_modules/passerelle/bin/passerelle.mjs'),
      ...args,
    ],
    { cwd: app, encoding: 'utf8', env: { ...process.env, LOADED_LOG: log }, timeout: 60_000 },
  );
  assert.equal(r.status, 0, r.stderr);
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

test('a command loads only its own code: --help, env list and cert inspect load no sandbox, HTTP, XML or crypto code they do not use', () => {
  const heavy =
    /\/node_modules\/(?:oidc-provider|undici|jose)\/|\/dist\/(?:xml|xmldsig|wss|soap|saml|sts|sandbox|transport|services|oauth)\//;
  const help = loadedModules(['--help']);
  assert.ok(help.some((u) => u.endsWith('/dist/cli/main.js')));
  assert.deepEqual(
    help.filter(
      (u) =>
        heavy.test(u) ||
        /\/node_modules\/(?:zod|yaml|node-forge|@peculiar)\/|\/dist\/(?:pki|config)\//.test(u),
    ),
    [],
  );
  const env = loadedModules(['env', 'list']);
  assert.ok(env.some((u) => u.endsWith('/dist/cli/env-impl.js')));
  assert.deepEqual(
    // No config file here: the schema (zod) and the YAML reader are not loaded either.
    env.filter(
      (u) => heavy.test(u) || /\/node_modules\/(?:zod|yaml|node-forge|@peculiar)\/|\/dist\/pki\//.test(u),
    ),
    [],
  );
  const inspect = loadedModules([
    'cert',
    'inspect',
    join(work, 'pki/partner-app.p12'),
    '--password-file',
    join(work, 'pki/password'),
  ]);
  assert.ok(inspect.some((u) => u.endsWith('/dist/pki/inspect-p12.js')));
  assert.deepEqual(
    inspect.filter((u) => heavy.test(u) || /\/node_modules\/(?:zod|yaml|@peculiar)\//.test(u)),
    [],
  );
});

/** Runs the installed CLI with plain node (no flags but a hook that reports maxRSS at exit). */
function runMeasured(args: string[]): {
  status: number | null;
  stdout: string;
  stderr: string;
  maxRss: number;
} {
  const report = join(work, 'rss.txt');
  writeFileSync(
    join(work, 'rss.mjs'),
    `import { writeFileSync } from 'node:fs';
process.on('exit', () => writeFileSync(${JSON.stringify(report)}, String(process.resourceUsage().maxRSS * 1024)));
`,
  );
  const r = spawnSync(
    process.execPath,
    ['--import', join(work, 'rss.mjs'), join(app, 'node_modules/passerelle/bin/passerelle.mjs'), ...args],
    { cwd: app, encoding: 'utf8', timeout: 300_000 },
  );
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    maxRss: Number(readFileSync(report, 'utf8')),
  };
}

test('the installed CLI uploads and downloads 256 MiB over MTOM against the sandbox under 150 MB peak RSS', async (t) => {
  const size = 256 * 1024 * 1024;
  const stateDir = join(work, 'sandbox');
  const sandbox: ChildProcess = spawn(BIN(), ['sandbox', '--json', '--state-dir', stateDir], {
    cwd: app,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PASSERELLE_CONFIG: '' },
  });
  const exited = new Promise((resolve) => sandbox.on('exit', resolve));
  t.after(async () => {
    sandbox.kill('SIGTERM');
    await exited;
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox not ready: ${out}`)), 60_000);
    sandbox.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve();
      }
    });
    sandbox.on('exit', () => reject(new Error('sandbox exited before ready')));
  });
  assert.equal(JSON.parse(out.split('\n')[0]!).event, 'ready');

  const file = join(work, 'upload.bin');
  const fd = openSync(file, 'w');
  const block = randomBytes(1024 * 1024);
  for (let i = 0; i < size / block.length; i++) writeSync(fd, block);
  closeSync(fd);
  const common = ['--json', '--config', join(stateDir, 'passerelle.config.json'), '--env', 'sandbox', 'call'];

  const up = runMeasured([...common, 'mtom:upload', '--file', file]);
  assert.equal(up.status, 0, up.stderr);
  assert.equal(JSON.parse(up.stdout).documents[0].size, size);
  const down = runMeasured([...common, 'mtom:download', '--size', '256M', '--out', join(work, 'down.bin')]);
  assert.equal(down.status, 0, down.stderr);
  assert.equal(JSON.parse(down.stdout).size, size);
  t.diagnostic(
    `peak RSS: upload ${(up.maxRss / 1e6).toFixed(0)} MB, download ${(down.maxRss / 1e6).toFixed(0)} MB (256 MiB each)`,
  );
  assert.ok(up.maxRss < 150e6, `upload peaked at ${up.maxRss} bytes`);
  assert.ok(down.maxRss < 150e6, `download peaked at ${down.maxRss} bytes`);
});
