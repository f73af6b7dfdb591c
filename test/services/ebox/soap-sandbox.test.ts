/**
 * End to end: the SOAP client against the sandbox's eBox module (src/sandbox/ebox), which checks
 * mutual TLS, the WS-Security signature, the official XSD and the platform's rules, and signs its
 * replies — configured as the CLI would be, from the sandbox's client configuration.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Agent, request } from 'undici';
import { FrozenClock } from '../../../src/clock.ts';
import { resolveEnvironment } from '../../../src/config/environment.ts';
import { loadConfig } from '../../../src/config/load.ts';
import { MemoryLogger } from '../../../src/log.ts';
import { consoleModule } from '../../../src/sandbox/console/module.ts';
import { eboxModule } from '../../../src/sandbox/ebox/module.ts';
import { startSandbox } from '../../../src/sandbox/host.ts';
import { oauthModule } from '../../../src/sandbox/oauth/module.ts';
import type { EboxPublication } from '../../../src/services/ebox/publication.ts';
import { hasAnEbox } from '../../../src/services/ebox/soap-has-an-ebox.ts';
import { eboxHealthCheck } from '../../../src/services/ebox/soap-health-check.ts';
import { getMessageStatus } from '../../../src/services/ebox/soap-message-status.ts';
import { publishEboxMessage } from '../../../src/services/ebox/soap-publish.ts';
import { createServiceContext } from '../../../src/services/service-context.ts';
import { rejectsCode } from '../../_support/assert-code.ts';
import { TEST_NOW } from '../../_support/credentials.ts';
import { tempDir } from '../../_support/tmp.ts';

const ACTIVE = '85073003328';
const NO_EBOX = '68052411150';
const clock = new FrozenClock(TEST_NOW);
const dir = tempDir({ after }, 'passerelle-ebox-e2e-');
const sandbox = await startSandbox({
  stateDir: join(dir, 'state'),
  clock,
  log: new MemoryLogger(),
  modules: [consoleModule(), oauthModule(), eboxModule()],
});
after(() => sandbox.close());
const environment = resolveEnvironment(
  await loadConfig({ path: sandbox.configPath, env: {} }),
  'sandbox',
  {},
);
const ctx = await createServiceContext(environment, { clock, processEnv: {} });
after(() => ctx.close());

async function consoleGet(path: string): Promise<{ status: number; body: Buffer }> {
  const agent = new Agent({ connect: { ca: sandbox.pki.ca.certPem } });
  try {
    const res = await request(`${sandbox.endpoints['console']!.replace(/\/$/, '')}${path}`, {
      dispatcher: agent,
    });
    return { status: res.statusCode, body: Buffer.from(await res.body.arrayBuffer()) };
  } finally {
    await agent.close();
  }
}

function pdf(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, `%PDF-1.7\n${text}\n%%EOF\n`);
  return path;
}

const publication = (over: Partial<EboxPublication> = {}): EboxPublication => ({
  recipient: ACTIVE,
  messageType: 'PASSERELLE_PAYMENT_STATEMENT',
  subject: { lang: 'fr', text: 'Votre relevé de paiement' },
  document: { path: pdf('releve.pdf', 'version 1') },
  ticket: 'E2E-1',
  sequence: 1,
  ...over,
});

test('publish to the sandbox: accepted, the signed reply verified, the document in the citizen inbox byte for byte', async () => {
  const result = await publishEboxMessage(ctx, publication());
  assert.equal(result.transport, 'soap');
  assert.equal(result.recipient, ACTIVE);
  assert.equal(result.sender.institution, sandbox.pki.partner.cbe);
  const detail = JSON.parse(
    (await consoleGet(`/api/v1/ebox/citizens/${ACTIVE}/messages/${result.messageId}`)).body.toString(),
  ) as { subject: string; documents: { sha256: string; size: number }[] };
  assert.equal(detail.subject, 'Votre relevé de paiement');
  assert.equal(detail.documents[0]!.size, result.document.size);
  assert.equal(Buffer.from(detail.documents[0]!.sha256, 'hex').toString('base64'), result.document.digest);
});

test('the same ticket and sequence replaces the unread message (same ID); once read, getMessageStatus says consulted and a replacement is ERR_EBOX_DUPLICATE (620)', async () => {
  const first = await publishEboxMessage(ctx, publication({ ticket: 'E2E-2' }));
  const second = await publishEboxMessage(
    ctx,
    publication({
      ticket: 'E2E-2',
      subject: { lang: 'fr', text: 'Relevé corrigé' },
      document: { path: pdf('corrige.pdf', 'version 2, corrected') },
    }),
  );
  assert.equal(second.messageId, first.messageId);
  const path = `/api/v1/ebox/citizens/${ACTIVE}/messages/${first.messageId}`;
  const detail = JSON.parse((await consoleGet(path)).body.toString()) as {
    subject: string;
    versions: number;
    documents: { href: string; size: number }[];
  };
  assert.equal(detail.subject, 'Relevé corrigé');
  assert.equal(detail.versions, 2);
  assert.equal(detail.documents[0]!.size, second.document.size);
  const query = { recipient: ACTIVE, ticket: 'E2E-2', sequence: 1 };
  assert.equal((await getMessageStatus(ctx, query)).consulted, false);
  assert.equal((await consoleGet(detail.documents[0]!.href)).status, 200, 'the citizen reads it');
  assert.deepEqual(await getMessageStatus(ctx, query), { ...query, consulted: true });
  const duplicate = await rejectsCode(
    publishEboxMessage(ctx, publication({ ticket: 'E2E-2' })),
    'ERR_EBOX_DUPLICATE',
  );
  assert.equal(duplicate.details['businessCode'], '620');
  assert.equal(duplicate.details['origin'], 'platform');
  await rejectsCode(
    getMessageStatus(ctx, { recipient: ACTIVE, ticket: 'NEVER-SENT' }),
    'ERR_EBOX_MESSAGE_NOT_FOUND',
  );
});

test('hasAnEbox and the health check against the sandbox', async () => {
  const active = await hasAnEbox(ctx, ACTIVE);
  assert.equal(active.hasEbox, true);
  assert.match(
    active.lastConnectionDate ?? '',
    /^2026-\d{2}-\d{2}$/,
    'the last connection (the citizen read a message in an earlier test)',
  );
  assert.equal((await hasAnEbox(ctx, NO_EBOX)).hasEbox, false);
  const health = await eboxHealthCheck(ctx);
  assert.equal(health.status.level, 'OK');
  assert.ok(health.component.name.length > 0);
  const deep = await eboxHealthCheck(ctx, 'DEEP');
  assert.ok(['OK', 'WARNING'].includes(deep.status.level));
});

test('level 2: a message type the sender may not publish is ERR_EBOX_MESSAGE_TYPE_NOT_AUTHORIZED (business error 40)', async () => {
  const refused = await rejectsCode(
    publishEboxMessage(ctx, publication({ ticket: 'E2E-3', messageType: 'PASSERELLE_TAX_ASSESSMENT' })),
    'ERR_EBOX_MESSAGE_TYPE_NOT_AUTHORIZED',
  );
  assert.equal(refused.details['businessCode'], '40');
});

test('level 1: an institution the platform does not authorise is ERR_SOAP_FAULT SOA-01002 with the eBox hint', async (t) => {
  const other = await startSandbox({
    stateDir: join(tempDir(t), 'state'),
    clock,
    log: new MemoryLogger(),
    modules: [consoleModule(), oauthModule(), eboxModule({ registries: { institutions: ['0200065765'] } })],
  });
  t.after(() => other.close());
  const env = resolveEnvironment(await loadConfig({ path: other.configPath, env: {} }), 'sandbox', {});
  const otherCtx = await createServiceContext(env, { clock, processEnv: {} });
  t.after(() => otherCtx.close());
  const error = (await rejectsCode(
    publishEboxMessage(otherCtx, publication()),
    'ERR_SOAP_FAULT',
  )) as unknown as {
    details: Record<string, unknown>;
    hint: string;
  };
  assert.equal(error.details['soaCode'], 'SOA-01002');
  assert.match(error.hint, /eboxintegration@smals\.be/);
});
