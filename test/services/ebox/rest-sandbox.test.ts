/**
 * End to end against the sandbox: the REST client built from the sandbox's own client
 * configuration (env `sandbox`: OAuth client, keystores, dev CA, `ebox.rest`) publishes through
 * the sandbox OAuth server and eBox module: 201, NO_DIGITAL_USER for a citizen who never opened
 * their eBox, 409 on a repeated Idempotency-Key (also a retried ticket+sequence), INVALID_SENDER
 * for a message type the partner may not publish. The sandbox runs on real time (oidc-provider).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { resolveEnvironment } from '../../../src/config/environment.ts';
import { loadConfig } from '../../../src/config/load.ts';
import { isPasserelleError } from '../../../src/errors.ts';
import { eboxModule } from '../../../src/sandbox/ebox/module.ts';
import { oauthModule } from '../../../src/sandbox/oauth/module.ts';
import {
  createEboxRestClient,
  type EboxPublication,
  type EboxRestClient,
} from '../../../src/services/ebox/index.ts';
import { startTestSandbox, type TestSandbox } from '../../sandbox/oauth/_start.ts';

let sandbox: TestSandbox;
let client: EboxRestClient;
let pdf: string;

before(async () => {
  sandbox = await startTestSandbox([oauthModule(), eboxModule()]);
  const env = resolveEnvironment(
    await loadConfig({ path: sandbox.configPath, cwd: sandbox.stateDir, env: {} }),
    'sandbox',
    {},
  );
  client = await createEboxRestClient(env, { processEnv: {} });
  pdf = join(sandbox.stateDir, 'decision.pdf');
  writeFileSync(pdf, '%PDF-1.7\n% a sandbox decision\n');
});
after(async () => {
  await client?.close();
  await sandbox?.dispose();
});

const publication = (over: Partial<EboxPublication> = {}): EboxPublication => ({
  recipient: '85073003328',
  messageType: 'PASSERELLE_DECISION',
  subject: { lang: 'fr', text: 'Votre décision' },
  document: { path: pdf },
  ...over,
});

test('201: published as the partner read from the OAuth certificate', async () => {
  const result = await client.publish(publication());
  assert.equal(result.transport, 'rest');
  assert.ok(result.messageId.length > 0);
  assert.equal(result.noDigitalUser, false);
  assert.ok(result.expirationDate !== undefined && Number.isFinite(Date.parse(result.expirationDate)));
  assert.deepEqual(result.sender, {
    institution: '0123456749',
    application: 'urn:be:fgov:ehealth:sandbox:partner',
  });
});

test('201 with NO_DIGITAL_USER: the citizen never opened their eBox', async () => {
  const result = await client.publish(publication({ recipient: '79010234597' }));
  assert.equal(result.noDigitalUser, true);
});

test('409 on a repeated Idempotency-Key, and on a retried ticket+sequence', async () => {
  await client.publish(publication({ idempotencyKey: 'sandbox-e2e-1' }));
  await assert.rejects(client.publish(publication({ idempotencyKey: 'sandbox-e2e-1' })), (e) => {
    assert.ok(isPasserelleError(e, 'ERR_EBOX_DUPLICATE'), String((e as { code?: string }).code));
    assert.equal(e.details['idempotencyKey'], 'sandbox-e2e-1');
    assert.equal(e.details['status'], 409);
    return true;
  });
  const first = await client.publish(publication({ ticket: 'BATCH-2026-12', sequence: 7 }));
  await assert.rejects(client.publish(publication({ ticket: 'BATCH-2026-12', sequence: 7 })), (e) => {
    assert.ok(isPasserelleError(e, 'ERR_EBOX_DUPLICATE'), String((e as { code?: string }).code));
    assert.equal(e.details['idempotencyKey'], first.idempotencyKey);
    return true;
  });
});

test('400 INVALID_SENDER: a message type the partner may not publish', async () => {
  await assert.rejects(client.publish(publication({ messageType: 'PASSERELLE_TAX_ASSESSMENT' })), (e) => {
    assert.ok(
      isPasserelleError(e, 'ERR_EBOX_MESSAGE_TYPE_NOT_AUTHORIZED'),
      String((e as { code?: string }).code),
    );
    assert.equal(e.details['statusCode'], 'INVALID_SENDER');
    assert.equal(e.details['status'], 400);
    assert.equal(e.details['origin'], 'platform');
    return true;
  });
});
