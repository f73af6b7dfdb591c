/**
 * A local eBox SOAP peer for the client tests: a real HTTPS server on an ephemeral port that
 * records each request exactly as received and answers what the test says (replies signed with a
 * "platform" certificate the context pins), and the ServiceContext pointing at it.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { FrozenClock } from '../../../src/clock.ts';
import type { Credential } from '../../../src/pki/credential.ts';
import { EBOX_SOAP } from '../../../src/services/ebox/soap-names.ts';
import type { ServiceContext } from '../../../src/services/service-context.ts';
import { createTransport } from '../../../src/transport/create-transport.ts';
import { MemoryReplayCache } from '../../../src/wss/replay-cache.ts';
import { signEnvelope } from '../../../src/wss/sign.ts';
import { TEST_NOW, testPki } from '../../_support/credentials.ts';

/** The official contract (contracts/ebox/SOURCE.md). */
export const EBOX_XSD = fileURLToPath(
  new URL(
    '../../../contracts/ebox/soap/be/socialsecurity/eboxmessage/v1/EboxMessage_v1.xsd',
    import.meta.url,
  ),
);
export const MONITORING_XSD = fileURLToPath(
  new URL('../../../contracts/ebox/soap/be/fgov/services/monitoring/v1/monitoring-v1.xsd', import.meta.url),
);
export const ERRORS_XSD = fileURLToPath(
  new URL(
    '../../../contracts/ebox/soap/be/socialsecurity/errors/v1/socsec-errors-schema-v1.xsd',
    import.meta.url,
  ),
);

/** A valid INSS (checksum 97 - 850730033 mod 97 = 28). */
export const INSS = '85073003328';

export interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

export type Answer = { status?: number; xml: string; sign?: boolean } | 'hang-up';

export interface EboxPeer {
  readonly url: string;
  readonly received: Received[];
  readonly platform: Credential;
  /** What the next requests are answered (a function of the request). */
  answer: (request: Received) => Answer;
}

const SOAPENV = 'http://schemas.xmlsoap.org/soap/envelope/';

/** A SOAP 1.1 envelope around `body` (fixture text). */
export function envelope(body: string): string {
  return `<soapenv:Envelope xmlns:soapenv="${SOAPENV}"><soapenv:Header/><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
}

/** The publish reply of the contract: PublishEboxMessageResponse{ID}. */
export function publishReply(id: string): string {
  return `<ebox:PublishEboxMessageResponse xmlns:ebox="${EBOX_SOAP.ns}" xmlns:t="${EBOX_SOAP.typesNs}"><t:ID>${id}</t:ID></ebox:PublishEboxMessageResponse>`;
}

/** A fault whose detail is an errors/v1 BusinessError or SystemError (socsec-errors-schema-v1.xsd). */
export function faultDetail(kind: 'BusinessError' | 'SystemError', code: string, message: string): string {
  return `<err:${kind} xmlns:err="${EBOX_SOAP.errorsNs}" Id="err-42"><err:Origin>Provider</err:Origin><err:Code>${code}</err:Code><err:Message xml:lang="en">${message}</err:Message><err:Environment>Test</err:Environment></err:${kind}>`;
}

export function fault(detail: string, faultstring = 'eBox error'): string {
  return `<soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>${faultstring}</faultstring><detail>${detail}</detail></soapenv:Fault>`;
}

export const clock = new FrozenClock(TEST_NOW);

/** Starts the peer and a context signing with `signing` (default the test PKI's RSA app certificate). */
export async function startEboxPeer(
  t: { after: (fn: () => Promise<void> | void) => void },
  signing?: Credential,
): Promise<{ peer: EboxPeer; ctx: ServiceContext }> {
  const pki = await testPki();
  const platform = await platformCredential();
  const received: Received[] = [];
  const peer: EboxPeer = {
    url: '',
    received,
    platform,
    answer: () => ({ xml: envelope(publishReply('MSG-1')) }),
  };
  const server = createServer({ key: pki.server.keyPem, cert: pki.server.certPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { headers: req.headers, body: Buffer.concat(chunks) };
      received.push(request);
      respond(res, peer.answer(request), platform);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/EBoxMessage/v1`;
  (peer as { url: string }).url = url;
  const ctx = context(url, signing ?? pki.rsa, platform, pki.ca.certPem);
  t.after(async () => {
    await ctx.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { peer, ctx };
}

function respond(res: ServerResponse, answer: Answer, platform: Credential): void {
  if (answer === 'hang-up') {
    res.socket?.destroy();
    return;
  }
  const signed =
    answer.sign === false ? answer.xml : signEnvelope(answer.xml, { credential: platform, clock });
  res.writeHead(answer.status ?? 200, { 'content-type': 'text/xml; charset=utf-8' }).end(signed);
}

let platformCached: Promise<Credential> | undefined;
/** The "platform" signing certificate the context pins. */
export function platformCredential(): Promise<Credential> {
  platformCached ??= testPki().then((pki) =>
    pki.issue({ subject: 'C=BE, O=Passerelle Test, CN=eBox platform', usage: 'tls-client-signing' }),
  );
  return platformCached;
}

/** A context on `url` with a frozen clock, `signing` as credential and `platform` pinned. */
export function context(url: string, signing: Credential, platform: Credential, ca: string): ServiceContext {
  const transport = createTransport({ ca, clock });
  return {
    environment: 'test',
    transport,
    endpoint: () => url,
    signingCredential: () => signing,
    replyTrust: { pinned: [platform.certificate], ca: [] },
    replySignature: 'required',
    replayCache: new MemoryReplayCache({ maxEntries: 1000 }),
    clock,
    ttlSeconds: 300,
    inclusiveNamespaces: true,
    retry: undefined,
    logger: undefined,
    close: () => transport.close(),
  };
}

export interface Part {
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/**
 * Splits a multipart/related body as a receiver would (RFC 2046), independently of the client
 * code: the boundary from the Content-Type, parts between delimiters, headers lower-cased.
 */
export function splitMultipart(
  contentType: string,
  body: Buffer,
): { params: Record<string, string>; parts: Part[] } {
  const params: Record<string, string> = {};
  for (const m of contentType.matchAll(/;\s*([\w-]+)="?([^";]*)"?/g)) params[m[1]!.toLowerCase()] = m[2]!;
  const delimiter = Buffer.from(`--${params['boundary']}`);
  const parts: Part[] = [];
  let at = body.indexOf(delimiter);
  for (;;) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), start);
    if (next < 0) throw new Error('multipart: no closing delimiter');
    const part = body.subarray(start + 2, next);
    const split = part.indexOf('\r\n\r\n');
    const headers: Record<string, string> = {};
    for (const line of part.subarray(0, split).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    parts.push({ headers, body: part.subarray(split + 4) });
    at = next + 2;
  }
  return { params, parts };
}

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('base64');
