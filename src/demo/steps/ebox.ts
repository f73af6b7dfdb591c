import { createHash, X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { systemClock } from '../../clock.ts';
import { type ErrorCode, isPasserelleError } from '../../errors.ts';
import { credentialFrom } from '../../pki/credential.ts';
import { issueCertificate } from '../../pki/issue.ts';
import { generateKeyPair } from '../../pki/keys.ts';
import { profileSubject, rdnsToString } from '../../pki/profiles.ts';
import {
  createEboxRestClient,
  type EboxPublication,
  getMessageStatus,
  publishEboxMessage,
} from '../../services/ebox/index.ts';
import { demoExpect } from '../_expect.ts';
import { _demoPdf } from '../_pdf.ts';
import { withDemoServices } from '../_services.ts';
import type { DemoContext, DemoStep } from '../step.ts';

/** Sandbox citizens (the eBox module's default registry, listed in sandbox.json). */
const ALICE = '85073003328'; // eBox opened
const DAVID = '79010234597'; // eBox never opened
const TYPE = 'PASSERELLE_PAYMENT_STATEMENT';
const NOT_REGISTERED_TYPE = 'PASSERELLE_TAX_ASSESSMENT';
/** An institution the sandbox does not authorise to use EBoxMessage (level 1). */
const OTHER_CBE = '0200065765';

interface InboxMessage {
  id: string;
  ticket?: string;
  status: string;
  documents: { id: string; sha256: string; href: string; mainContent: boolean }[];
}

/** GET on the sandbox console API (its TLS certificate from the sandbox CA, trusted alone). */
async function _console(ctx: DemoContext, path: string): Promise<{ status: number; body: Buffer }> {
  const base = ctx.sandbox.endpoints['console'];
  demoExpect(base !== undefined, 'the sandbox runs its console (the inbox API)');
  const dispatcher = new Agent({ connect: { ca: ctx.sandbox.pki.ca.certPem } });
  try {
    const res = await request(new URL(path, base), { dispatcher });
    return { status: res.statusCode, body: Buffer.from(await res.body.arrayBuffer()) };
  } finally {
    await dispatcher.close();
  }
}

async function _refused(promise: Promise<unknown>, code: ErrorCode): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    demoExpect(isPasserelleError(error, code), `the refusal is ${code}`, {
      got: isPasserelleError(error) ? error.code : String(error),
    });
    return { ...error.details };
  }
  demoExpect(false, `the publication is refused with ${code}`);
  return {};
}

/**
 * Flow "citizen eBox" (issue 10): a PDF published to a sandbox citizen over SOAP (signed, swaRef
 * attachment) and found byte for byte in the citizen's inbox, then consulted; the same over REST
 * (OAuth bearer, multipart) to a citizen who never opened their eBox (NO_DIGITAL_USER); one
 * refusal per authorization level: an institution not allowed to use the service (SOA-01002)
 * and a message type the sender may not publish (business error 40).
 */
export function eboxSteps(): DemoStep[] {
  let pdf = '';
  let digest = '';
  let ticket = '';
  const publication = (over: Partial<EboxPublication> = {}): EboxPublication => ({
    recipient: ALICE,
    messageType: TYPE,
    subject: { lang: 'fr', text: 'Votre décompte de paiement' },
    document: { path: pdf },
    ticket,
    ...over,
  });
  return [
    {
      id: 'ebox.publish-soap',
      title: "Publish a PDF to a citizen's eBox over SOAP (signed, swaRef attachment)",
      async run(ctx) {
        demoExpect(ctx.sandbox.modules['ebox'], 'the sandbox runs the ebox module');
        pdf = join(ctx.workDir, 'payment-statement.pdf');
        writeFileSync(pdf, _demoPdf(['Payment statement', `Citizen ${ALICE}`, 'Passerelle demo']));
        digest = createHash('sha256')
          .update(_demoPdf(['Payment statement', `Citizen ${ALICE}`, 'Passerelle demo']))
          .digest('hex');
        ticket = `DEMO-${ctx.clock.now().toString(36)}`;
        const result = await withDemoServices(ctx, (s) => publishEboxMessage(s, publication()));
        demoExpect(result.messageId.length > 0, 'the platform answers the message id');
        demoExpect(
          Buffer.from(result.document.digest, 'base64').toString('hex') === digest,
          'the Digest sent is the SHA-256 of the PDF',
        );
        demoExpect(
          result.sender.institution === ctx.sandbox.pki.partner.cbe,
          'the sender is read from the certificate',
        );
        return {
          checks: [
            'the INSS checksum, subject, message type, file name and MIME were checked before sending',
            `the sender (institution ${result.sender.institution}, application ${result.sender.application}) comes from the signing certificate`,
            'the sandbox verified the signature (BST, Timestamp, Body), both authorization levels and the SHA-256 Digest of the attachment',
            `message ${result.messageId} published under ticket ${ticket}`,
          ],
        };
      },
    },
    {
      id: 'ebox.inbox',
      title: "Find the document in the citizen's inbox, download it, see it consulted",
      dependsOn: ['ebox.publish-soap'],
      async run(ctx) {
        const list = await _console(ctx, `/api/v1/ebox/citizens/${ALICE}/messages`);
        demoExpect(list.status === 200, 'the inbox API answers');
        const messages = (JSON.parse(list.body.toString()) as { messages: InboxMessage[] }).messages;
        const before = await withDemoServices(ctx, (s) => getMessageStatus(s, { recipient: ALICE, ticket }));
        demoExpect(!before.consulted, 'the publication is not consulted yet');
        const first = messages.find((m) => m.ticket === ticket);
        demoExpect(first !== undefined, 'the citizen has the message');
        const detail = await _console(ctx, `/api/v1/ebox/citizens/${ALICE}/messages/${first.id}`);
        const main = (JSON.parse(detail.body.toString()) as InboxMessage).documents.find(
          (d) => d.mainContent,
        );
        demoExpect(
          main !== undefined && main.sha256 === digest,
          'the stored document has the SHA-256 of the PDF',
        );
        const file = await _console(ctx, main.href);
        demoExpect(
          createHash('sha256').update(file.body).digest('hex') === digest,
          'the document downloads byte for byte',
        );
        const after = await withDemoServices(ctx, (s) => getMessageStatus(s, { recipient: ALICE, ticket }));
        demoExpect(after.consulted, 'getMessageStatus now says consulted');
        return {
          checks: [
            `the citizen ${ALICE} has the message in their inbox (sandbox JSON API)`,
            'the document downloads with the SHA-256 of the PDF sent',
            'getMessageStatus: not consulted before the download, consulted after',
          ],
        };
      },
    },
    {
      id: 'ebox.publish-rest',
      title: 'Publish over REST v2 (OAuth bearer, multipart) to a citizen who never opened their eBox',
      dependsOn: ['ebox.publish-soap'],
      async run(ctx) {
        // oidc-provider judges client assertions on real time (as the REST flow does).
        const client = await createEboxRestClient(ctx.environment, { clock: systemClock, processEnv: {} });
        try {
          const result = await client.publish(
            publication({ recipient: DAVID, subject: { lang: 'nl', text: 'Uw afrekening' } }),
          );
          demoExpect(
            result.transport === 'rest' && result.messageId.length > 0,
            'the API answers 201 with a message id',
          );
          demoExpect(result.noDigitalUser === true, 'the answer says NO_DIGITAL_USER');
          const again = await _refused(
            client.publish(publication({ recipient: DAVID })),
            'ERR_EBOX_DUPLICATE',
          );
          return {
            checks: [
              'a token with the publication scope from the sandbox authorization server',
              `201: message ${result.messageId}, expires ${result.expirationDate}; NO_DIGITAL_USER (published, the citizen never opened their eBox)`,
              `the same ticket sent again carries the same Idempotency-Key: 409, ${String(again['idempotencyKey'] ?? 'the same key')} (ERR_EBOX_DUPLICATE)`,
            ],
          };
        } finally {
          await client.close();
        }
      },
    },
    {
      id: 'ebox.refusals',
      title: 'One refusal per authorization level: institution (SOA-01002), message type (error 40)',
      dependsOn: ['ebox.publish-soap'],
      async run(ctx) {
        const level2 = await _refused(
          withDemoServices(ctx, (s) =>
            publishEboxMessage(s, publication({ messageType: NOT_REGISTERED_TYPE, ticket: `${ticket}-T` })),
          ),
          'ERR_EBOX_MESSAGE_TYPE_NOT_AUTHORIZED',
        );
        demoExpect(level2['businessCode'] === '40', 'the platform answered business error 40');
        // A certificate of another institution, from the same CA: the gateway authenticates it,
        // but that institution may not use EBoxMessage.
        const ca = ctx.sandbox.pki.ca;
        const keys = await generateKeyPair('ec-p256');
        const now = ctx.clock.now();
        const pem = await issueCertificate({
          subject: rdnsToString(
            profileSubject('ebox', {
              cbe: OTHER_CBE,
              institution: 'Other Institution',
              app: 'urn:be:fgov:sandbox:other-institution:tax',
              env: 'SIM',
            }),
          ),
          publicKey: keys.publicKey,
          issuer: { certificate: ca.certificate, privateKey: ca.privateKey },
          usage: 'signing',
          notBefore: new Date(now - 3_600_000),
          notAfter: new Date(now + 86_400_000),
        });
        const other = credentialFrom(keys.privateKey, [new X509Certificate(pem), ca.certificate]);
        const level1 = await _refused(
          withDemoServices(ctx, (s) =>
            publishEboxMessage(
              { ...s, signingCredential: () => other },
              publication({ ticket: `${ticket}-I` }),
            ),
          ),
          'ERR_SOAP_FAULT',
        );
        demoExpect(level1['soaCode'] === 'SOA-01002', 'the gateway answered SOA-01002');
        return {
          checks: [
            `level 1: institution ${OTHER_CBE} is not authorized to use EBoxMessage: SOA-01002 "Service call not authorized"`,
            `level 2: ${NOT_REGISTERED_TYPE} is not registered for (${ctx.sandbox.pki.partner.cbe}, ${ctx.sandbox.pki.partner.application}): business error 40 (ERR_EBOX_MESSAGE_TYPE_NOT_AUTHORIZED)`,
          ],
        };
      },
    },
  ];
}
