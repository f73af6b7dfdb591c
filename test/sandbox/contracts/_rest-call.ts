import type { HttpClient } from '../../../src/oauth/types.ts';
import type { ContractRequest, ContractResponseData } from '../../../src/openapi/types.ts';

const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

interface FileField {
  readonly filename: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
}

const isFile = (v: unknown): v is FileField =>
  typeof v === 'object' && v !== null && (v as FileField).bytes instanceof Uint8Array;

/** The body bytes and content type of a request, as a client would put them on the wire. */
async function encode(req: ContractRequest): Promise<{ type: string; bytes: Buffer } | undefined> {
  const { body, contentType } = req;
  if (body === undefined || contentType === undefined) return undefined;
  if (JSON_TYPE.test(contentType)) return { type: contentType, bytes: Buffer.from(JSON.stringify(body)) };
  if (
    /^multipart\/form-data/i.test(contentType) ||
    /^application\/x-www-form-urlencoded/i.test(contentType)
  ) {
    const multipart = /^multipart/i.test(contentType);
    const form = multipart ? new FormData() : new URLSearchParams();
    for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
      for (const one of Array.isArray(value) ? value : [value]) {
        if (isFile(one) && form instanceof FormData)
          form.append(name, new Blob([one.bytes], { type: one.contentType }), one.filename);
        else form.append(name, typeof one === 'string' ? one : JSON.stringify(one));
      }
    }
    const encoded = new Response(form);
    return {
      type: encoded.headers.get('content-type') ?? contentType,
      bytes: Buffer.from(await encoded.arrayBuffer()),
    };
  }
  return { type: contentType, bytes: Buffer.from(body instanceof Uint8Array ? body : String(body)) };
}

export interface RestReply extends ContractResponseData {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body parsed as JSON when its type is JSON, else undefined. */
  readonly json: Record<string, unknown> | undefined;
}

/** Sends `req` to `/{api}` of the sandbox REST listener with the bearer `token` (if any). */
export async function sendRest(
  http: HttpClient,
  restBase: string,
  api: string,
  req: ContractRequest,
  token: string | undefined,
): Promise<RestReply> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(req.query))
    for (const one of typeof value === 'string' ? [value] : value) query.append(name, one);
  const encoded = await encode(req);
  const headers: Record<string, string> = {
    ...req.headers,
    accept: '*/*',
    ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    ...(encoded === undefined ? {} : { 'content-type': encoded.type }),
  };
  const qs = query.size > 0 ? `?${query}` : '';
  const res = await http.request(`${restBase}/${api}${req.path}${qs}`, {
    method: req.method as 'GET',
    headers,
    ...(encoded === undefined ? {} : { body: encoded.bytes }),
  });
  const contentType =
    typeof res.headers['content-type'] === 'string' ? res.headers['content-type'] : undefined;
  const isJson = contentType !== undefined && JSON_TYPE.test(contentType) && res.body.length > 0;
  const parsed = isJson ? (JSON.parse(res.body.toString('utf8')) as unknown) : undefined;
  return {
    status: res.status,
    headers: res.headers,
    contentType: contentType?.split(';')[0]?.trim(),
    body: isJson ? parsed : res.body.length === 0 ? undefined : new Uint8Array(res.body),
    json:
      isJson && typeof parsed === 'object' && parsed !== null
        ? (parsed as Record<string, unknown>)
        : undefined,
  };
}
