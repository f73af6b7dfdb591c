import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import type { MssConfig } from '../../src/config/mss-schema.ts';
import { discoverPsc } from '../../src/mss/psc-client.ts';
import { discoverPscFromConfig, pscOptionsFromConfig } from '../../src/mss/psc-config.ts';
import { rejectsCode } from '../_support/assert-code.ts';
import { testPki } from '../_support/credentials.ts';
import { tempDir } from '../_support/tmp.ts';
import { stubAndClient } from './_psc-stub.ts';

const BASE: MssConfig = {
  mailbox: 'camille.martin@sandbox.mssante.fr',
  imap: 'imaps://127.0.0.1:993',
  smtp: 'smtps://127.0.0.1:465',
};

test('the options of environments.<env>.mss: secret from its SecretRef, CA from a file, defaults', async (t) => {
  const dir = tempDir(t);
  const { ca } = await testPki();
  writeFileSync(join(dir, 'psc-ca.pem'), ca.certPem);
  writeFileSync(join(dir, 'secret.txt'), 's3cret\n');
  const mss: MssConfig = {
    ...BASE,
    timeoutSeconds: 7,
    psc: {
      issuer: 'https://psc.example/auth/realms/esante-wallet',
      clientId: 'lps',
      clientSecret: { file: 'secret.txt' },
      ca: 'psc-ca.pem',
    },
  };
  const o = await pscOptionsFromConfig(mss, { baseDir: dir });
  assert.equal(o.clientSecret, 's3cret');
  assert.equal(o.timeoutMs, 7_000);
  assert.match(o.ca ?? '', /-----BEGIN CERTIFICATE-----/);
  assert.equal(o.discoveryPath, undefined); // discoverPsc's default: the wallet path
  const env = await pscOptionsFromConfig(
    { ...mss, psc: { ...mss.psc!, clientSecret: { env: 'PSC_SECRET' }, ca: ca.certPem } },
    { processEnv: { PSC_SECRET: 'from-env' } },
  );
  assert.equal(env.clientSecret, 'from-env');
  assert.equal(env.ca, ca.certPem);
  await rejectsCode(
    pscOptionsFromConfig(
      { ...mss, psc: { ...mss.psc!, clientSecret: { env: 'UNSET_PSC' } } },
      { processEnv: {} },
    ),
    'ERR_CONFIG_SECRET_MISSING',
  );
  await rejectsCode(
    pscOptionsFromConfig({ ...mss, psc: { ...mss.psc!, ca: 'none.pem' } }, { baseDir: dir }),
    'ERR_FILE_NOT_FOUND',
  );
});

test('no psc section: ERR_MSS_LOGIN_REQUIRED (a token must be handed in)', async () => {
  const e = await rejectsCode(pscOptionsFromConfig(BASE, { env: 'bas' }), 'ERR_MSS_LOGIN_REQUIRED');
  assert.match(e.hint, /environments\.bas\.mss\.psc/);
});

test('discoverPscFromConfig reaches the sandbox stub', async (t) => {
  const { stub, ca } = await stubAndClient(t);
  const client = await discoverPscFromConfig({
    ...BASE,
    psc: { issuer: stub.issuer, clientId: 'passerelle-lps', ca },
  });
  t.after(() => client.close());
  assert.equal(client.issuer, stub.issuer);
});

test('a PSC that does not answer in time is ERR_MSS_TIMEOUT', async (t) => {
  const pki = await testPki();
  const server = createServer({ key: pki.server.keyPem, cert: pki.server.certPem }, () => {
    // never answers
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(
    () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  );
  const { port } = server.address() as AddressInfo;
  const e = await rejectsCode(
    discoverPsc({
      issuer: `https://127.0.0.1:${port}/realm`,
      clientId: 'x',
      ca: pki.ca.certPem,
      timeoutMs: 200,
    }),
    'ERR_MSS_TIMEOUT',
  );
  assert.equal(e.details['step'], 'discovery');
});
