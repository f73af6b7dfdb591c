import type { X509Certificate } from 'node:crypto';
import { isValidCbe } from '../../pki/ids/cbe.ts';

const OU_FORM = /^OU=urn:be:fgov:kbo-bce:organization:cbe-number:(\d{10})$/;
const EHEALTH_FORM = /^(?:OU|CN)=(?:.*\b)?CBE=(\d{10})\b/;

/**
 * The enterprise number of a requester, read from its certificate subject: the eBox/KSZ form
 * `OU=urn:be:fgov:kbo-bce:organization:cbe-number:<CBE>` or the eHealth forms `OU=CBE=<CBE>` /
 * `CN="CBE=<CBE>, <application>"` (PROTOCOLS.md §2). Undefined when absent or not a valid CBE.
 */
export function cbeFromCertificate(cert: X509Certificate): string | undefined {
  for (const line of cert.subject.split('\n')) {
    const m = OU_FORM.exec(line) ?? EHEALTH_FORM.exec(line.replace(/"/g, ''));
    if (m && isValidCbe(m[1]!)) return m[1];
  }
  return undefined;
}
