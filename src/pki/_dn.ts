/** Node's multi-line distinguished name (X509Certificate.subject/issuer) on one line. */
export function oneLine(dn: string): string {
  return dn.replace(/\n/g, ', ');
}
