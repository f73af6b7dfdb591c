import { X509Certificate } from 'node:crypto';
import { PasserelleError } from '../errors.ts';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n\s]*?)-----END \1-----/g;

export interface PemBlock {
  readonly label: string;
  readonly der: Buffer;
  readonly pem: string;
}

/** Splits PEM text into its blocks (any label), in order. */
export function splitPem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    blocks.push({ label: m[1]!, der: Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64'), pem: `${m[0]}\n` });
  }
  return blocks;
}

/** Parses every CERTIFICATE block of a PEM bundle; throws if there is none. */
export function parseCertificates(text: string, source = 'certificate bundle'): X509Certificate[] {
  const certs = splitPem(text)
    .filter((b) => b.label === 'CERTIFICATE')
    .map((b) => {
      try {
        return new X509Certificate(b.der);
      } catch (cause) {
        throw new PasserelleError('ERR_PKI_KEYSTORE_CORRUPT', `A certificate in ${source} cannot be parsed`, {
          cause,
          details: { source },
        });
      }
    });
  if (certs.length === 0) {
    throw new PasserelleError('ERR_PKI_NO_CERT', `No PEM certificate found in ${source}`, {
      hint: 'Give a PEM file with -----BEGIN CERTIFICATE----- blocks.',
      details: { source },
    });
  }
  return certs;
}

export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`;
}
