/**
 * The sftp sandbox module: endpoint and port role, the env `sandbox` client configuration (user,
 * key, pinned host key, sender), keys kept across restarts, the console API, and a plain
 * upload/list/download/rename/remove round trip with ssh2's client.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { test } from 'node:test';
import { ConfigSchema } from '../../../src/config/schema.ts';
import { startSandbox } from '../../../src/sandbox/host.ts';
import { sftpModule } from '../../../src/sandbox/sftp/module.ts';
import { call, connect, put, rejectsStatus, startSftp } from './_sftp.ts';

test('module: port role sftp at offset 48, endpoint sftp://, client config for env sandbox', async (t) => {
  assert.deepEqual(sftpModule().ports, { sftp: 48 });
  const s = await startSftp(t);
  assert.match(s.sandbox.endpoints['sftp']!, /^sftp:\/\/127\.0\.0\.1:\d+$/);
  const env = s.sandbox.clientConfig.environments?.['sandbox'];
  assert.equal(env?.endpoints?.sftp, s.sandbox.endpoints['sftp']);
  assert.deepEqual(env?.sftp, {
    user: 'partner',
    key: s.keyFile,
    hostKeys: [s.hostKeyFingerprint],
    sender: '123456',
    app: 'DMFA',
    environmentCode: 'T',
  });
  assert.match(s.hostKeyFingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
  ConfigSchema.parse(JSON.parse(readFileSync(s.sandbox.configPath, 'utf8')));
  assert.equal(statSync(s.keyFile).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(s.root).sort(), ['IN', 'OUT']);
});

test('module: the host key and the partner key are kept across restarts', async (t) => {
  const s = await startSftp(t);
  const stateDir = s.sandbox.stateDir;
  const before = { fp: s.hostKeyFingerprint, key: s.key };
  await s.sandbox.close();
  const again = await startSandbox({ stateDir, modules: [sftpModule()] });
  t.after(() => again.close());
  const info = again.info['sftp'] as { hostKeyFingerprint: string; partnerKeyFile: string };
  assert.equal(info.hostKeyFingerprint, before.fp);
  assert.equal(readFileSync(info.partnerKeyFile, 'utf8'), before.key);
});

test('module: bad options are TypeErrors at construction', () => {
  assert.throws(() => sftpModule({ replyDelayMs: -1 }), TypeError);
  assert.throws(() => sftpModule({ accounts: [] }), TypeError);
  assert.throws(() => sftpModule({ accounts: [{ user: '../x', sender: '1' }] }), TypeError);
  assert.throws(
    () => sftpModule({ accounts: [{ user: 'a', sender: '1', authorizedKeys: ['nope'] }] }),
    TypeError,
  );
});

test('ssh2 client: upload into IN/, list, download, rename, remove; OUT/ readable', async (t) => {
  const s = await startSftp(t);
  const { sftp } = await connect(s, t);
  assert.equal(await call<string>((cb) => sftp.realpath('.', cb)), '/');
  const data = Buffer.from('hello sandbox\n'.repeat(5000));
  await put(sftp, '/IN/upload.tmp', data);
  await call((cb) => sftp.rename('/IN/upload.tmp', 'IN/upload.txt', cb));
  const list = await call<{ filename: string; longname: string }[]>((cb) => sftp.readdir('/IN', cb));
  assert.deepEqual(
    list.map((e) => e.filename),
    ['upload.txt'],
  );
  assert.match(
    list[0]!.longname,
    /^-rw-r--r-- +1 partner +partner +70000 [A-Z][a-z]{2} [ \d]\d +(\d\d:\d\d|\d{4}) upload\.txt$/,
  );
  const back = await call<Buffer>((cb) => sftp.readFile('/IN/upload.txt', cb));
  assert.ok(back.equals(data));
  await call((cb) => sftp.unlink('/IN/upload.txt', cb));
  await rejectsStatus(
    call((cb) => sftp.stat('/IN/upload.txt', cb)),
    2,
  );
  const top = await call<{ filename: string }[]>((cb) => sftp.readdir('/', cb));
  assert.deepEqual(top.map((e) => e.filename).sort(), ['IN', 'OUT']);
  assert.equal(s.stats()['uploads'], 1);
  assert.equal(s.stats()['bytesIn'], data.length);
});

test('console API: accounts with their IN/ and OUT/ files', async (t) => {
  const s = await startSftp(t);
  const { sftp } = await connect(s, t);
  await put(sftp, '/IN/a.txt', 'abc');
  const api = s.sandbox.modules['sftp']?.api;
  assert.ok(api);
  let body = '';
  let status = 0;
  const res = {
    req: { method: 'GET' },
    writeHead(code: number) {
      status = code;
      return this;
    },
    end(chunk?: string) {
      body = chunk ?? '';
    },
  };
  await api({} as never, res as never, '/accounts');
  assert.equal(status, 200);
  const json = JSON.parse(body);
  assert.equal(json.version, 1);
  assert.equal(json.accounts[0].user, 'partner');
  assert.deepEqual(
    json.accounts[0].IN.files.map((f: { name: string }) => f.name),
    ['a.txt'],
  );
  assert.equal(json.accounts[0].usedBytes, 3);
});
