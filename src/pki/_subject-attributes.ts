import type { X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/** Subject attributes in DER order as [type, value] pairs (short names: C, O, OU, CN, ...). */
export function subjectAttributes(cert: X509Certificate): Array<[string, string]> {
  const json = new x509.X509Certificate(cert.raw).subjectName.toJSON();
  return json.flatMap((rdn) =>
    Object.entries(rdn).flatMap(([type, values]) => values.map((v): [string, string] => [type, v])),
  );
}
