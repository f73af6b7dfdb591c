import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { FrozenClock } from '../../../src/clock.ts';
import { MemoryLogger } from '../../../src/log.ts';
import type { Credential } from '../../../src/pki/credential.ts';
import type { DevCa } from '../../../src/pki/dev-ca.ts';
import { issueDevCertificate } from '../../../src/pki/dev-issue.ts';
import { profileSubject, type Rdn } from '../../../src/pki/profiles.ts';
import { consoleModule } from '../../../src/sandbox/console/module.ts';
import { type EboxModuleOptions, eboxModule } from '../../../src/sandbox/ebox/module.ts';
import { type RunningSandbox, startSandbox } from '../../../src/sandbox/host.ts';
import { oauthModule } from '../../../src/sandbox/oauth/module.ts';
import { buildEnvelope } from '../../../src/soap/build-envelope.ts';
import { signEnvelope } from '../../../src/wss/sign.ts';
import type { Document, Element } from '../../../src/xml/node.ts';
import { TEST_NOW } from '../../_support/credentials.ts';
import { tempDir } from '../../_support/tmp.ts';

export const EBOX_NS = 'http://socialsecurity.be/eboxmessage/v1';
export const TYPES_NS = 'http://socialsecurity.be/eboxmessage/types/v1';
export const MON_NS = 'http://services.fgov.be/monitoring/v1';
/** Citizens of the demo registries (src/sandbox/ebox/_registry.ts). */
export const CITIZEN = {
  active: '85073003328',
  born2000: '05031212360',
  bis: '91451545659',
  neverOpened: '79010234597',
  noEbox: '68052411150',
  /** Valid check digits, in no registry. */
  unknown: '72010122206',
  /** 85073003328 with wrong check digits. */
  badChecksum: '85073003329',
} as const;
export const PAYMENT = 'PASSERELLE_PAYMENT_STATEMENT';
export const TAX = 'PASSERELLE_TAX_ASSESSMENT';

export interface EboxSandbox {
  readonly sandbox: RunningSandbox;
  readonly clock: FrozenClock;
  readonly log: MemoryLogger;
  readonly stateDir: string;
  readonly soapUrl: string;
  readonly restUrl: string;
  /** undici agent with the partner's TLS client credential, trusting the dev CA only. */
  readonly agent: Agent;
}

/**
 * Starts console + oauth + ebox on ephemeral ports, a frozen clock (oidc-provider still uses
 * real time), in `stateDir` (a fresh one by default); closes them after the test file.
 */
export async function startEbox(
  t: { after: (fn: () => void | Promise<void>) => void },
  options: EboxModuleOptions = {},
  stateDir = join(tempDir(t, 'passerelle-ebox-'), 'state'),
): Promise<EboxSandbox> {
  const clock = new FrozenClock(TEST_NOW);
  const log = new MemoryLogger();
  const sandbox = await startSandbox({
    stateDir,
    clock,
    log,
    modules: [consoleModule(), oauthModule(), eboxModule(options)],
  });
  const { tls } = sandbox.pki.partner;
  const agent = new Agent({ connect: { ca: sandbox.pki.ca.certPem, cert: tls.certPem, key: tls.keyPem } });
  t.after(async () => {
    await agent.close();
    await sandbox.close();
  });
  return {
    sandbox,
    clock,
    log,
    stateDir,
    soapUrl: sandbox.endpoints['ebox.soap']!,
    restUrl: sandbox.endpoints['ebox.rest']!,
    agent,
  };
}

/** A signing certificate from the sandbox CA with another subject (another institution, no CBE OU). */
export async function otherSigner(
  s: EboxSandbox,
  subject: Rdn[] | { cbe: string; app: string },
): Promise<Credential> {
  const rdns = Array.isArray(subject)
    ? subject
    : profileSubject('ebox', { cbe: subject.cbe, institution: 'Other', app: subject.app, env: 'SIM' });
  return issueDevCertificate({ credential: s.sandbox.pki.ca } as DevCa, {
    usage: 'signing',
    subject: rdns,
    clock: s.clock,
  });
}

export interface PublishFields {
  readonly ticket?: string;
  readonly sequence?: number;
  readonly senderId?: { application: string; institution: string };
  readonly recipients?: readonly string[];
  readonly messageType?: string;
  readonly title?: string;
  readonly cid?: string;
  readonly digest?: { method: string; value: string } | false;
  readonly fileName?: string;
  readonly mime?: string;
  /** Applied to the request element before serialisation (to break the schema on purpose). */
  readonly tamper?: (doc: Document, request: Element) => void;
}

export const sha = (alg: 'sha1' | 'sha256' | 'sha512', data: Buffer | string) =>
  createHash(alg).update(data).digest('base64');

function leaf(doc: Document, parent: Element, name: string, text?: string): Element {
  const e = doc.createElementNS(TYPES_NS, `t:${name}`);
  if (text !== undefined) e.appendChild(doc.createTextNode(text));
  parent.appendChild(e);
  return e;
}

/** A PublishEboxMessageRequest envelope (unsigned), built on the DOM like a client does. */
export function publishEnvelope(document: Buffer, f: PublishFields = {}): string {
  return buildEnvelope({
    header: () => [],
    body: (doc) => {
      const r = doc.createElementNS(EBOX_NS, 'v1:PublishEboxMessageRequest');
      r.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:v1', EBOX_NS);
      r.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:t', TYPES_NS);
      const id = leaf(doc, r, 'MessageID');
      leaf(doc, id, 'Ticket', f.ticket ?? 'T-1');
      if (f.sequence !== undefined) leaf(doc, id, 'Sequence', String(f.sequence));
      if (f.senderId) {
        const s = leaf(doc, r, 'SenderID');
        leaf(doc, s, 'Application', f.senderId.application);
        leaf(doc, s, 'Institution', f.senderId.institution);
      }
      for (const inss of f.recipients ?? [CITIZEN.active]) {
        const rec = leaf(doc, r, 'RecipientID');
        leaf(doc, rec, 'INSS', inss);
        leaf(doc, rec, 'EboxType', 'CITIZEN');
      }
      leaf(doc, r, 'MessageType', f.messageType ?? PAYMENT);
      const d = leaf(doc, r, 'Document');
      leaf(doc, d, 'Title', f.title ?? 'Payment statement');
      leaf(doc, d, 'Content', `cid:${f.cid ?? 'doc1@passerelle'}`);
      if (f.digest !== false) {
        const dg = leaf(doc, d, 'Digest');
        leaf(doc, dg, 'DigestMethod', f.digest?.method ?? 'SHA-256');
        leaf(doc, dg, 'DigestValue', f.digest?.value ?? sha('sha256', document));
      }
      leaf(doc, d, 'DownloadFileName', f.fileName ?? 'statement.pdf');
      leaf(doc, d, 'MIME', f.mime ?? 'application/pdf');
      f.tamper?.(doc, r);
      return r;
    },
  });
}

/** Any body element (hasAnEbox, getMessageStatus, healthCheck) as an unsigned envelope. */
export function envelopeOf(build: (doc: Document) => Element): string {
  return buildEnvelope({ header: () => [], body: build });
}

export function sign(
  s: EboxSandbox,
  xml: string,
  credential: Credential = s.sandbox.pki.partner.signing,
): string {
  return signEnvelope(xml, { credential, clock: s.clock });
}

export const BOUNDARY = 'uuid:7d4c2f3e-passerelle-test';
export const SWA_TYPE = `multipart/related; type="text/xml"; boundary="${BOUNDARY}"; start="<root.message@passerelle>"`;

/** The head of a SOAP with Attachments package: the root part, then the attachment's headers. */
export function swaHead(xml: string, cid = 'doc1@passerelle', type = 'application/pdf'): Buffer {
  return Buffer.from(
    `--${BOUNDARY}\r\nContent-Type: text/xml; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\nContent-ID: <root.message@passerelle>\r\n\r\n${xml}\r\n` +
      `--${BOUNDARY}\r\nContent-Type: ${type}\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <${cid}>\r\n\r\n`,
  );
}
export const SWA_TAIL = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);

/** A whole SOAP with Attachments package. */
export function swa(xml: string, document: Buffer, cid?: string): Buffer {
  return Buffer.concat([swaHead(xml, cid), document, SWA_TAIL]);
}

export interface Reply {
  readonly status: number;
  readonly type: string;
  readonly text: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** POSTs to the eBox SOAP endpoint with undici (mutual TLS as the partner). */
export async function postSoap(
  s: EboxSandbox,
  body: Buffer | string | AsyncIterable<Buffer>,
  { type = SWA_TYPE, action = '""', agent = s.agent }: { type?: string; action?: string; agent?: Agent } = {},
): Promise<Reply> {
  const res = await request(s.soapUrl, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': type, soapaction: action },
    body: body as Buffer,
  });
  const text = await res.body.text();
  return {
    status: res.statusCode,
    type: String(res.headers['content-type'] ?? ''),
    text,
    headers: res.headers,
  };
}

/** Signs and posts a publication with its document. */
export function publish(s: EboxSandbox, document: Buffer, f: PublishFields = {}, credential?: Credential) {
  return postSoap(s, swa(sign(s, publishEnvelope(document, f), credential), document, f.cid));
}
