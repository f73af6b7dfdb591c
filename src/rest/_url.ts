const API = /^[A-Za-z0-9._~-]+(?:\/[A-Za-z0-9._~-]+)*$/;

/**
 * The URL of `path` under the `{api}` base (`https://host:4543/{api}`). Wrong use is a TypeError:
 * an API name outside `[A-Za-z0-9._~-]` segments, a path that is not absolute, or dot segments.
 */
export function _restUrl(
  base: string,
  api: string,
  path: string,
  query?: Readonly<Record<string, string | readonly string[]>>,
): URL {
  if (!API.test(api) || api.split('/').some((s) => s === '.' || s === '..')) {
    throw new TypeError(`REST: invalid API name "${api}"`);
  }
  if (!path.startsWith('/') || path.startsWith('//'))
    throw new TypeError('REST: the path must start with a single "/"');
  const [pathname = '', search] = path.split('?', 2);
  if (pathname.split('/').some((s) => s === '.' || s === '..' || /%2e%2e|%2f/i.test(s))) {
    throw new TypeError('REST: dot segments and encoded slashes are not allowed in the path');
  }
  const root = base.includes('{api}') ? base.replace('{api}', api) : `${base.replace(/\/+$/, '')}/${api}`;
  const url = new URL(`${root.replace(/\/+$/, '')}${pathname}${search === undefined ? '' : `?${search}`}`);
  for (const [k, v] of Object.entries(query ?? {}))
    for (const one of typeof v === 'string' ? [v] : v) url.searchParams.append(k, one);
  return url;
}
