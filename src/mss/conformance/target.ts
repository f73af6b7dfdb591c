/**
 * The conformance target from what an operator types (CLI flags, the web form): the IMAP and
 * SMTP URLs of its API LPS, the mailbox, the IdNat of its holder, the trust anchors of its
 * server certificates and, optionally, the holder's client certificate. Every problem is
 * ERR_MSS_CONFORMANCE_TARGET_INVALID with `details.field` naming the input at fault; messages
 * never quote key material (a PEM is described, never echoed).
 */
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { PasserelleError } from '../../errors.ts';
import type { TlsMode } from './report-schema.ts';
import type { ConformanceTarget, TargetEndpoint } from './runner-types.ts';

export interface TargetInput {
  /** `imaps://host[:993]` (implicit TLS) or `imap://host[:143]` (STARTTLS). */
  readonly imap: string;
  /** `smtps://host[:465]` (implicit TLS) or `smtp://host[:587]` (STARTTLS). */
  readonly smtp: string;
  readonly mailbox: string;
  readonly idNat: string;
  /** PEM, one or more certificates. */
  readonly ca: string;
  readonly clientCertificate?: { readonly certPem: string; readonly keyPem: string };
  /** The mailbox the client certificate opens (an applicative mailbox); default `mailbox`. */
  readonly clientCertificateMailbox?: string;
}

export type TargetField =
  | 'imap'
  | 'smtp'
  | 'mailbox'
  | 'idNat'
  | 'ca'
  | 'clientCertificate'
  | 'clientKey'
  | 'clientCertificateMailbox';

const SCHEMES: Record<'imap' | 'smtp', Record<string, { tls: TlsMode; port: number }>> = {
  imap: { 'imaps:': { tls: 'implicit', port: 993 }, 'imap:': { tls: 'starttls', port: 143 } },
  smtp: { 'smtps:': { tls: 'implicit', port: 465 }, 'smtp:': { tls: 'starttls', port: 587 } },
};
const HOST = /^[A-Za-z0-9.:-]{1,253}$/;
const ID_NAT = /^[0-9A-Za-z]{1,20}$/;
/** local@domain: RFC 5322 dot-atom local part, a domain of LDH labels (MSSanté addresses are ASCII). */
const MAILBOX =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const MAX_PEM = 128 * 1024;

function invalid(field: TargetField, message: string, cause?: unknown): PasserelleError {
  return new PasserelleError('ERR_MSS_CONFORMANCE_TARGET_INVALID', message, {
    details: { field },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** A URL quoted in a message: bounded, and without any user:password part. */
function quote(url: string): string {
  return JSON.stringify(url.replace(/\/\/[^/@]*@/, '//…@').slice(0, 200));
}

function endpoint(field: 'imap' | 'smtp', url: string): { host: string } & TargetEndpoint {
  const label = field.toUpperCase();
  const schemes = `${field}s://host[:port] (TLS from the first byte) or ${field}://host[:port] (STARTTLS)`;
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw invalid(field, `The ${label} URL ${quote(url)} is not a URL: write ${schemes}`);
  }
  const scheme = SCHEMES[field][u.protocol];
  if (scheme === undefined) throw invalid(field, `The ${label} URL must be ${schemes}, not ${u.protocol}//`);
  if (u.username || u.password)
    throw invalid(field, `The ${label} URL must not carry a user name or password`);
  if ((u.pathname !== '' && u.pathname !== '/') || u.search || u.hash)
    throw invalid(field, `The ${label} URL ${quote(url)} must name only a host and a port`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (!HOST.test(host)) throw invalid(field, `The ${label} URL ${quote(url)} has no usable host name`);
  const port = u.port ? Number(u.port) : scheme.port;
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw invalid(field, `The ${label} port must be from 1 to 65535`);
  return { host, port, tls: scheme.tls };
}

function certificates(field: 'ca' | 'clientCertificate', pem: string): X509Certificate[] {
  const what = field === 'ca' ? 'The CA (trust anchors of the operator’s servers)' : 'The client certificate';
  if (pem.length > MAX_PEM) throw invalid(field, `${what} is longer than ${MAX_PEM / 1024} KiB`);
  const blocks = pem.match(PEM_CERT) ?? [];
  if (blocks.length === 0)
    throw invalid(field, `${what} must be PEM holding at least one certificate (a BEGIN CERTIFICATE block)`);
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch (cause) {
      throw invalid(field, `${what}: certificate ${i + 1} of ${blocks.length} cannot be read`, cause);
    }
  });
}

function privateKey(pem: string): KeyObject {
  if (pem.length > MAX_PEM) throw invalid('clientKey', `The client key is longer than ${MAX_PEM / 1024} KiB`);
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/.test(pem))
    throw invalid(
      'clientKey',
      'The client key is encrypted: give it unencrypted (PKCS#8 or traditional PEM)',
    );
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    // The cause is left out on purpose: OpenSSL's message may quote part of the input.
    throw invalid('clientKey', 'The client key is not a PEM private key that can be read');
  }
}

function matches(cert: X509Certificate, key: KeyObject): boolean {
  try {
    return cert.checkPrivateKey(key);
  } catch {
    return false;
  }
}

/**
 * The target of a conformance run from the operator's inputs. Throws
 * ERR_MSS_CONFORMANCE_TARGET_INVALID (details.field: imap, smtp, mailbox, idNat, ca,
 * clientCertificateMailbox, clientCertificate or clientKey) on the first problem found, in that order.
 */
export function parseTarget(input: TargetInput): ConformanceTarget {
  const imap = endpoint('imap', input.imap);
  const smtp = endpoint('smtp', input.smtp);
  if (imap.host !== smtp.host)
    throw invalid(
      'smtp',
      `The IMAP and SMTP URLs name different hosts (${imap.host}, ${smtp.host}): the API LPS under test is one host`,
    );
  const mailbox = input.mailbox.trim();
  if (mailbox.length > 254 || !MAILBOX.test(mailbox))
    throw invalid('mailbox', 'The mailbox must be an e-mail address, local@domain');
  const idNat = input.idNat.trim();
  if (!ID_NAT.test(idNat))
    throw invalid(
      'idNat',
      'The IdNat must be 1 to 20 letters or digits (the RPPS number of the mailbox holder)',
    );
  certificates('ca', input.ca);
  const target: ConformanceTarget = {
    host: imap.host,
    imap: { port: imap.port, tls: imap.tls },
    smtp: { port: smtp.port, tls: smtp.tls },
    mailbox,
    idNat,
    ca: input.ca,
  };
  const client = input.clientCertificate;
  const other = input.clientCertificateMailbox?.trim() || undefined;
  if (other !== undefined && (other.length > 254 || !MAILBOX.test(other)))
    throw invalid(
      'clientCertificateMailbox',
      'The client certificate mailbox must be an e-mail address, local@domain',
    );
  if (client === undefined) {
    if (other !== undefined)
      throw invalid('clientCertificateMailbox', 'A client certificate mailbox needs the client certificate');
    return target;
  }
  const [leaf] = certificates('clientCertificate', client.certPem);
  const key = privateKey(client.keyPem);
  if (!matches(leaf!, key))
    throw invalid('clientKey', 'The client key does not match the (first) client certificate');
  return {
    ...target,
    clientCertificate: { certPem: client.certPem, keyPem: client.keyPem },
    ...(other === undefined ? {} : { clientCertificateMailbox: other }),
  };
}
