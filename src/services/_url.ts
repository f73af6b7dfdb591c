/** Joins an endpoint base URL and a service path (exactly one slash between them). */
export function _joinUrl(base: string, path: string): string {
  if (!path.startsWith('/')) throw new TypeError(`service path must start with "/": ${JSON.stringify(path)}`);
  return `${base.replace(/\/+$/, '')}${path}`;
}
