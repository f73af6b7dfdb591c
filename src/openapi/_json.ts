/** Small helpers over parsed JSON/YAML documents: object test, JSON pointers, internal `$ref` following. */

export type JsonObject = { readonly [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at an internal reference (`#/components/schemas/Person`), or undefined. */
export function atPointer(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  const pointer = ref.slice(1);
  if (pointer === '') return document;
  if (!pointer.startsWith('/')) return undefined;
  let node: unknown = document;
  for (const raw of pointer.slice(1).split('/')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node)) node = Object.hasOwn(node, key) ? node[key] : undefined;
    else return undefined;
  }
  return node;
}

/** Follows internal `$ref`s of a non-schema object (parameter, response, request body) to the object. */
export function follow(document: unknown, value: unknown, depth = 0): unknown {
  if (depth > 32 || !isObject(value) || typeof value['$ref'] !== 'string') return value;
  return follow(document, atPointer(document, value['$ref']), depth + 1);
}

/** The JSON pointer token for a key (`/` → `~1`, `~` → `~0`). */
export function pointerToken(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** The bare media type, lower-cased, without parameters. */
export function bareMediaType(mediaType: string): string {
  return (mediaType.split(';')[0] ?? '').trim().toLowerCase();
}

/** `application/json`, `application/problem+json`, `text/json`, ... */
export function isJsonMedia(mediaType: string): boolean {
  const bare = bareMediaType(mediaType);
  return bare === 'application/json' || bare === 'text/json' || bare.endsWith('+json');
}
