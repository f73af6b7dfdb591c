import { createHash } from 'node:crypto';
import { request } from 'undici';
import { createHttpClient } from '../../../src/oauth/create-http-client.ts';
import { createOAuthClient } from '../../../src/oauth/create-oauth-client.ts';
import { EBOX_PUBLICATION_SCOPE, SANDBOX_OAUTH_CLIENT_ID } from '../../../src/sandbox/oauth/constants.ts';
import { CITIZEN, type EboxSandbox, PAYMENT, type Reply } from './_ebox.ts';

export const FORM_BOUNDARY = '----passerelle-form-7d4c2f3e';
export const FORM_TYPE = `multipart/form-data; boundary=${FORM_BOUNDARY}`;

/** A token of the sandbox authorization server for the partner client (with or without the eBox scope). */
export async function tokenFor(s: EboxSandbox, scope?: string): Promise<string> {
  const http = createHttpClient({ ca: s.sandbox.pki.ca.certPem });
  try {
    const client = createOAuthClient({
      clientId: SANDBOX_OAUTH_CLIENT_ID,
      credential: s.sandbox.pki.partner.oauth,
      tokenEndpoint: s.sandbox.endpoints['oauth.token'] ?? '',
      http,
      ...(scope === undefined ? {} : { scope }),
    });
    return (await client.getToken()).value;
  } finally {
    await http.close();
  }
}

export const publicationScope = EBOX_PUBLICATION_SCOPE;

export const b64url = (data: Buffer | string) => createHash('sha256').update(data).digest('base64url');

/** A MessageToPublish for a citizen with one main PDF in upfile1. */
export function message(
  over: Record<string, unknown> = {},
  document = Buffer.from('%PDF-1.7 rest'),
): Record<string, unknown> {
  return {
    recipient: { eboxType: 'citizen', eboxIdValue: CITIZEN.active },
    subject: { fr: 'Votre décompte' },
    messageTypeId: PAYMENT,
    senderOrganizationId: '0123456749',
    bodyMainContent: false,
    replyAuthorized: false,
    attachments: [
      {
        httpPartName: 'upfile1',
        mainContent: true,
        attachmentSigned: false,
        digest: { digestMethod: 'sha_256', digestValue: b64url(document) },
      },
    ],
    ...over,
  };
}

/** A multipart/form-data body: `messageToPublish` (a string as given, or JSON) then files. */
export function form(
  json: unknown,
  files: Record<string, Buffer> = { upfile1: Buffer.from('%PDF-1.7 rest') },
): Buffer {
  const parts: Buffer[] = [];
  if (json !== undefined) {
    parts.push(
      Buffer.from(
        `--${FORM_BOUNDARY}\r\nContent-Disposition: form-data; name="messageToPublish"\r\nContent-Type: application/json\r\n\r\n${typeof json === 'string' ? json : JSON.stringify(json)}\r\n`,
      ),
    );
  }
  for (const [name, data] of Object.entries(files)) {
    parts.push(
      Buffer.from(
        `--${FORM_BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${FORM_BOUNDARY}--\r\n`));
  return Buffer.concat(parts);
}

/** POSTs to `{ebox.rest}/publishMessage` with undici as the partner (mutual TLS). */
export async function postRest(
  s: EboxSandbox,
  body: Buffer | AsyncIterable<Buffer>,
  headers: Record<string, string> = {},
  path = '/publishMessage',
): Promise<Reply & { json: () => Record<string, unknown> }> {
  const res = await request(`${s.restUrl}${path}`, {
    method: 'POST',
    dispatcher: s.agent,
    headers: { 'content-type': FORM_TYPE, ...headers },
    body: body as Buffer,
  });
  const text = await res.body.text();
  return {
    status: res.statusCode,
    type: String(res.headers['content-type'] ?? ''),
    text,
    headers: res.headers,
    json: () => JSON.parse(text) as Record<string, unknown>,
  };
}
