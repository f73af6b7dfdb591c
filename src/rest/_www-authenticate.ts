/**
 * The parameters of the Bearer challenge in a WWW-Authenticate header (RFC 6750 §3), e.g.
 * `Bearer realm="api", error="invalid_token", error_description="expired"`. Other schemes are ignored.
 */
export function _bearerChallenge(header: string | string[] | undefined): Record<string, string> | undefined {
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  for (const value of values) {
    const match = /(?:^|,\s*)Bearer(?:\s+(.*))?$/i.exec(value.trim());
    if (match === null) continue;
    const params: Record<string, string> = {};
    const re = /([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
    for (let m = re.exec(match[1] ?? ''); m !== null; m = re.exec(match[1] ?? '')) {
      const key = m[1]?.toLowerCase();
      if (key !== undefined) params[key] = (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1');
    }
    return params;
  }
  return undefined;
}
