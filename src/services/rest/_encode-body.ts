import { PasserelleError } from '../../errors.ts';
import type { ContractRequest } from '../../openapi/index.ts';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

interface _FileField {
  readonly filename: string;
  readonly contentType?: string;
  readonly bytes: Uint8Array;
}

const _isFile = (v: unknown): v is _FileField =>
  typeof v === 'object' && v !== null && (v as _FileField).bytes instanceof Uint8Array;

function _fieldValue(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function _bad(message: string): never {
  throw new PasserelleError('ERR_CONTRACT_REQUEST_INVALID', message, {
    details: { errors: [`body: ${message}`] },
  });
}

function _fields(body: unknown): [string, unknown][] {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || body instanceof Uint8Array)
    _bad('A form body is an object of fields');
  return Object.entries(body).flatMap(([k, v]): [string, unknown][] =>
    Array.isArray(v) ? v.map((one): [string, unknown] => [k, one]) : [[k, v]],
  );
}

/**
 * The bytes and content type of a request body, by its media type: JSON serialised; multipart
 * form data built by the platform's FormData (a file field `{ filename, contentType, bytes }`,
 * other values as text, objects as JSON); URL-encoded forms; anything else sent as the bytes or
 * text given.
 */
export async function _encodeBody(
  request: ContractRequest,
): Promise<{ contentType: string; bytes: Uint8Array } | undefined> {
  const { body, contentType } = request;
  if (body === undefined || contentType === undefined) return undefined;
  const type = contentType.toLowerCase();
  if (JSON_TYPE.test(type)) return { contentType, bytes: Buffer.from(JSON.stringify(body), 'utf8') };
  if (type.startsWith('multipart/form-data')) {
    const form = new FormData();
    for (const [k, v] of _fields(body)) {
      if (_isFile(v))
        form.append(
          k,
          new Blob([v.bytes], { type: v.contentType ?? 'application/octet-stream' }),
          v.filename,
        );
      else form.append(k, _fieldValue(v));
    }
    const encoded = new Response(form);
    return {
      contentType: encoded.headers.get('content-type') ?? 'multipart/form-data',
      bytes: new Uint8Array(await encoded.arrayBuffer()),
    };
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams();
    for (const [k, v] of _fields(body)) form.append(k, _fieldValue(v));
    return { contentType, bytes: Buffer.from(form.toString(), 'utf8') };
  }
  if (body instanceof Uint8Array) return { contentType, bytes: body };
  if (typeof body === 'string') return { contentType, bytes: Buffer.from(body, 'utf8') };
  return _bad(`A ${contentType} body is bytes or text`);
}
