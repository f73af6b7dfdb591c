import type { X509Certificate } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PasserelleError } from '../errors.ts';
import { buildEnvelope } from '../soap/build-envelope.ts';
import { mtomCall } from '../soap/mtom/mtom-call.ts';
import type { MtomAttachment } from '../soap/mtom/types.ts';
import { findXopIncludes } from '../soap/mtom/xop.ts';
import { SOAP_NAMESPACES } from '../soap/namespaces.ts';
import { parseEnvelope } from '../soap/parse-envelope.ts';
import { decodeXml } from '../utf8.ts';
import { signMtomEnvelope, type XopBase64Form } from '../wss/mtom-sign.ts';
import { signHokEnvelope } from '../wss/sign-hok.ts';
import { attributeValue, childElements, inScopeNamespaces } from '../xml/dom.ts';
import { inheritedNamespaces } from '../xml/inherited-namespaces.ts';
import { NS } from '../xml/namespaces.ts';
import type { Element } from '../xml/node.ts';
import { parseXml } from '../xml/parse.ts';
import { serializeXml } from '../xml/serialize.ts';
import { _soaCall } from './_soa-call.ts';
import type { HokSigner } from './ehealth/check-brokered-access-control.ts';
import { checkMtomReply } from './mtom/check-reply.ts';
import { _sizeAndSha256 } from './mtom/tap.ts';
import type { ServiceContext } from './service-context.ts';

/** How a generic call is secured: nothing, the X.509 token profile, or SAML holder-of-key. */
export type CallSecurity = 'none' | 'x509' | { readonly hok: HokSigner };

/** A file sent as an MTOM attachment; the payload references it by `<xop:Include href="cid:…"/>`. */
export interface CallAttachment {
  /** The Content-ID, without angle brackets or `cid:`. */
  readonly contentId: string;
  readonly file: string;
  /** Default application/octet-stream. */
  readonly contentType?: string;
}

export interface CallSoapInput {
  readonly url: string;
  /** The operation's SOAPAction (may be empty). */
  readonly action: string;
  /** The request: the operation's element (one XML element, wrapped in a new envelope) or a whole SOAP 1.1 envelope. */
  readonly payload: { readonly body: string | Uint8Array } | { readonly envelope: string | Uint8Array };
  readonly security: CallSecurity;
  /** Sends the request as MTOM/XOP (streamed from the files); x509 or none only. */
  readonly attachments?: readonly CallAttachment[];
  /** Sends the request as MTOM/XOP even without attachments (an operation of an MTOM port that only answers documents). */
  readonly mtom?: boolean;
  /** How attachments enter the signed Body digest (see XopBase64Form); default canonical. */
  readonly xopBase64?: XopBase64Form;
  /** Where the reply's attachments are written (each as its Content-ID); default: only counted and hashed. */
  readonly attachmentsDir?: string;
  readonly signal?: AbortSignal;
}

export interface CallSoapReplyAttachment {
  readonly contentId: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  /** Where it was written, with `attachmentsDir`. */
  readonly file?: string;
}

export interface CallSoapResult {
  /** The reply envelope as received (the root part of an MTOM reply). */
  readonly envelope: string;
  /** Each child element of the reply Body, standalone (the namespaces it uses declared on it). */
  readonly body: readonly string[];
  /** The verified reply signer; undefined when the reply was not signed. */
  readonly replySigner: X509Certificate | undefined;
  readonly attachments: readonly CallSoapReplyAttachment[];
}

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const CID = /^[\x21-\x7e]{1,200}$/;

function _invalid(message: string, hint: string): PasserelleError {
  return new PasserelleError('ERR_SOAP_MALFORMED', message, { hint });
}

/** The one element of a body payload, parsed with the hardened parser; not an envelope. */
function _bodyElement(text: string): Element {
  const root = parseXml(text).documentElement!;
  if (
    root.localName === 'Envelope' &&
    (root.namespaceURI === SOAP_NAMESPACES.envelope || root.namespaceURI === SOAP_NAMESPACES.envelope12)
  ) {
    throw _invalid(
      'The body given is a whole SOAP envelope',
      'Pass a whole envelope as `envelope` (CLI: --envelope FILE) instead of `body`.',
    );
  }
  return root;
}

/** A SOAP 1.1 envelope given whole: checked as such, and unsigned unless it is sent as it is. */
function _checkedEnvelope(text: string, security: CallSecurity): string {
  const parsed = parseEnvelope(text);
  const signed = parsed.header !== undefined && childElements(parsed.header, NS.wsse, 'Security').length > 0;
  if (signed && security !== 'none') {
    throw new PasserelleError('ERR_WSS_MULTIPLE_SECURITY', 'The envelope already has a WS-Security header', {
      hint: 'Send a pre-signed envelope as it is with security "none" (CLI: --security none), or remove its Security header.',
    });
  }
  return text;
}

/** An element of a received document, written standalone: the prefixes it relies on are declared on it. */
export function standaloneXml(el: Element): string {
  const declarations = inheritedNamespaces(el);
  // A QName in an xsi:type value names a prefix too (the usual case of a prefix used in content).
  const outside = el.parentNode ? inScopeNamespaces(el.parentNode) : new Map<string, string>();
  const stack: Element[] = [el];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const type = attributeValue(node, XSI, 'type');
    const prefix = type?.includes(':') ? type.slice(0, type.indexOf(':')) : undefined;
    if (prefix !== undefined && outside.has(prefix) && !(prefix in declarations)) {
      declarations[prefix] = outside.get(prefix)!;
    }
    for (let c = node.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) stack.push(c as Element);
  }
  if (Object.keys(declarations).length === 0) return serializeXml(el);
  const copy = el.cloneNode(true) as Element;
  for (const [prefix, uri] of Object.entries(declarations)) {
    copy.setAttributeNS(NS.xmlns, prefix === '' ? 'xmlns' : `xmlns:${prefix}`, uri);
  }
  return serializeXml(copy);
}

function _text(value: string | Uint8Array): string {
  return typeof value === 'string' ? value : decodeXml(value);
}

/**
 * Calls any SOAP operation of a platform (a service with no typed client): wraps the operation's
 * element in a SOAP 1.1 envelope (or takes a whole envelope), secures it — X.509 token profile,
 * SAML holder-of-key, or nothing — freshly per attempt, posts it over the context's mutual-TLS
 * transport, maps a fault to ERR_SOAP_FAULT, and verifies a signed reply against
 * `trust.platformSigning` (a signed call's reply must be signed unless the context's reply policy
 * is `optional`). With `attachments` the request goes as MTOM, each file streamed from disk and
 * counted in the signed Body digest (XOP-expanded); the reply's attachments are streamed to
 * `attachmentsDir` (complete files only: written under a temporary name, renamed once the reply
 * signature over them verified) or just counted and hashed.
 */
export async function callSoap(ctx: ServiceContext, input: CallSoapInput): Promise<CallSoapResult> {
  const { url, action, payload, security, attachments = [], xopBase64 = 'canonical', signal } = input;
  if (typeof url !== 'string' || typeof action !== 'string')
    throw new TypeError('callSoap: url and action are strings');
  const isHok = typeof security === 'object' && security !== null && 'hok' in security;
  if (!isHok && security !== 'none' && security !== 'x509')
    throw new TypeError('callSoap: security is none, x509 or { hok }');
  const given =
    'envelope' in payload ? { envelope: _checkedEnvelope(_text(payload.envelope), security) } : undefined;
  const element = 'body' in payload ? _bodyElement(_text(payload.body)) : undefined;
  if (attachments.length > 0 || input.mtom === true) {
    if (isHok) {
      throw new PasserelleError(
        'ERR_MTOM_BAD_REFERENCE',
        'MTOM attachments are sent with the X.509 token profile only',
        {
          hint: 'Use security x509 (port 4522 services) or send the call without attachments.',
        },
      );
    }
    return _mtom(ctx, input, given?.envelope ?? _wrap(element!), attachments, xopBase64);
  }
  const { body, replySigner, xml } = await _soaCall(ctx, {
    url,
    action,
    body: given ?? ((doc) => doc.importNode(element!, true)),
    security: isHok
      ? {
          sign: async (envelope) => {
            const got = await security.hok.token();
            const token = 'token' in got ? got.token : got;
            return signHokEnvelope(envelope, {
              token,
              credential: security.hok.credential,
              clock: ctx.clock,
              ttlSeconds: ctx.ttlSeconds,
              inclusiveNamespaces: ctx.inclusiveNamespaces,
            });
          },
        }
      : (security as 'none' | 'x509'),
    ...(signal === undefined ? {} : { signal }),
  });
  return { envelope: xml, body: childElements(body).map(standaloneXml), replySigner, attachments: [] };
}

function _wrap(element: Element): string {
  return buildEnvelope({ header: () => [], body: element });
}

async function _mtom(
  ctx: ServiceContext,
  input: CallSoapInput,
  envelope: string,
  files: readonly CallAttachment[],
  xopBase64: XopBase64Form,
): Promise<CallSoapResult> {
  const seen = new Set<string>();
  const attachments: MtomAttachment[] = files.map((f) => {
    if (!CID.test(f.contentId) || seen.has(f.contentId)) {
      throw new PasserelleError(
        'ERR_MTOM_BAD_REFERENCE',
        `Invalid or repeated attachment Content-ID "${f.contentId.slice(0, 60)}"`,
        {
          hint: 'Give each attachment its own Content-ID (printable ASCII, no spaces), as its xop:Include href="cid:…" names it.',
        },
      );
    }
    seen.add(f.contentId);
    return {
      contentId: f.contentId,
      ...(f.contentType === undefined ? {} : { contentType: f.contentType }),
      source: { file: f.file },
    };
  });
  const referenced = new Set(findXopIncludes(parseEnvelope(envelope).body).map((i) => i.contentId));
  for (const a of attachments) {
    if (!referenced.has(a.contentId)) {
      throw new PasserelleError(
        'ERR_MTOM_BAD_REFERENCE',
        `No xop:Include in the Body references the attachment "${a.contentId}"`,
        {
          hint: `Put <xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:${encodeURIComponent(a.contentId)}"/> where the document goes.`,
        },
      );
    }
  }
  for (const cid of referenced) {
    if (!seen.has(cid)) {
      throw new PasserelleError(
        'ERR_MTOM_MISSING_PART',
        `The Body references "cid:${cid}" but no attachment has that Content-ID`,
        {
          hint: 'Attach the file with that Content-ID (CLI: --attach ID=FILE).',
        },
      );
    }
  }
  const signed =
    input.security === 'x509'
      ? await signMtomEnvelope(envelope, attachments, {
          credential: ctx.signingCredential(),
          clock: ctx.clock,
          ttlSeconds: ctx.ttlSeconds,
          inclusiveNamespaces: ctx.inclusiveNamespaces,
          xopBase64,
        })
      : envelope;
  const reply = await mtomCall(ctx.transport, input.url, {
    action: input.action,
    envelope: signed,
    attachments,
    ...(input.signal === undefined ? {} : { signal: input.signal }),
  });
  const written: string[] = [];
  try {
    const mustCheck = input.security !== 'none';
    const signedReply =
      reply.envelope.header !== undefined &&
      childElements(reply.envelope.header, NS.wsse, 'Security').length > 0;
    const checked =
      mustCheck || signedReply
        ? checkMtomReply(ctx, reply, xopBase64)
        : { body: reply.envelope.body, signer: undefined, verification: undefined };
    const received: CallSoapReplyAttachment[] = [];
    const dir = input.attachmentsDir;
    if (dir !== undefined) await mkdir(dir, { recursive: true });
    for (const include of reply.reader ? findXopIncludes(checked.body) : []) {
      const part = await reply.reader!.attachment(include.contentId);
      const tap = _sizeAndSha256();
      const stages: NodeJS.ReadWriteStream[] = [];
      if (checked.verification) stages.push(checked.verification.digestStream(include.contentId));
      stages.push(tap.stream);
      const target = dir === undefined ? undefined : join(dir, _fileName(include.contentId, received.length));
      if (target !== undefined) written.push(`${target}.part`);
      await pipeline(
        part.stream,
        ...(stages as [NodeJS.ReadWriteStream]),
        target === undefined ? _sink() : createWriteStream(`${target}.part`, { flags: 'wx', mode: 0o600 }),
      );
      received.push({
        contentId: include.contentId,
        contentType: part.contentType,
        ...tap.result(),
        ...(target === undefined ? {} : { file: target }),
      });
    }
    await reply.done();
    checked.verification?.complete();
    for (const r of received) if (r.file !== undefined) await rename(`${r.file}.part`, r.file);
    written.length = 0;
    return {
      envelope: reply.xml,
      body: childElements(checked.body).map(standaloneXml),
      replySigner: checked.signer,
      attachments: received,
    };
  } catch (error) {
    await reply.close();
    await Promise.all(written.map((f) => rm(f, { force: true })));
    throw error;
  }
}

/** A file name for a received Content-ID: its safe characters, else its position. */
function _fileName(contentId: string, index: number): string {
  const safe = contentId
    .replace(/[^A-Za-z0-9._@-]/g, '_')
    .replace(/^\.+/, '_')
    .slice(0, 120);
  return safe === '' ? `attachment-${index + 1}` : safe;
}

function _sink(): NodeJS.WritableStream {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}
