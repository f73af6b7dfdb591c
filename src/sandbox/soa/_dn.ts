import type { X509Certificate } from 'node:crypto';

const SPECIAL = /[,+"\\<>;=]/g;

/**
 * A certificate subject as one RFC 4514-style line, most specific first
 * (`CN=..., OU=..., O=..., C=BE`): how the platform reports the DN it saw.
 */
export function _subjectDn(certificate: X509Certificate): string {
  return certificate.subject
    .split('\n')
    .filter((line) => line.includes('='))
    .map((line) => {
      const at = line.indexOf('=');
      return `${line.slice(0, at)}=${line.slice(at + 1).replace(SPECIAL, (c) => `\\${c}`)}`;
    })
    .reverse()
    .join(', ');
}
