/**
 * An independent eBox REST peer for the REST client tests: one HTTPS server (test PKI) serving
 * an oidc-provider 9 token endpoint (`/token`, client_credentials with private_key_jwt, the eBox
 * publication scope) and `POST …/messageRegistry/v2/publishMessage`, which checks the bearer
 * token with oidc-provider, parses the multipart body with undici's own form-data parser (not
 * ours) and answers what the test says. Bodies above 8 MiB are only counted and hashed.
 */
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ResolvedEnvironment } from '../../../src/config/environment.ts';
import type { Credential } from '../../../src/pki/credential.ts';
import { EBOX_PUBLICATION_SCOPE } from '../../../src/services/ebox/rest-scope.ts';
import { testPki } from '../../_support/credentials.ts';

export const PEER_CLIENT = 'partenaire:ebox:peer:client:confidential';
export const PUBLISH_PATH = '/REST/ebox/enterprise/messageRegistry/v2/publishMessage';
const PARSE_LIMIT = 8 * 1024 * 1024;

export interface ReceivedPart {
  readonly name: string;
  readonly fileName: string | undefined;
  readonly type: string;
  readonly bytes: Buffer;
}

export interface Received {
  readonly headers: IncomingMessage['headers'];
  /** The granted scope of the bearer token, as oidc-provider knows it (undefined: unknown token). */
  readonly tokenScope: string | undefined;
  readonly length: number;
  readonly sha256: Buffer;
  /** Undefined for bodies above 8 MiB. */
  readonly parts: readonly ReceivedPart[] | undefined;
  readonly message: Record<string, unknown> | undefined;
}

export interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RestPeer {
  readonly origin: string;
  readonly received: Received[];
  /** Token requests the token endpoint got. */
  readonly tokenRequests: () => number;
  /** What the next publications are answered (default 201 with a new messageId). */
  answer: (r: Received) => Answer;
  /** Called for each body chunk of a publication as it arrives (the streaming tests). */
  onChunk: ((chunk: Buffer, req: IncomingMessage) => void) | undefined;
  /** An environment whose OAuth certificate is `credential` (default: the test PKI's rsa one). */
  environment(dir: string, credential?: Credential): Promise<ResolvedEnvironment>;
  close(): Promise<void>;
}

interface TokenModel {
  find(value: string): Promise<{ scope?: string } | undefined>;
}

export const created = (): Answer => ({
  status: 201,
  body: { messageId: randomUUID(), expirationDate: '2027-06-15T10:00:00+02:00' },
});

async function parse(body: Buffer, type: string) {
  const form = await new Response(body, { headers: { 'content-type': type } }).formData();
  const parts: ReceivedPart[] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') {
      parts.push({ name, fileName: undefined, type: '', bytes: Buffer.from(value) });
    } else {
      const file = value as File;
      parts.push({
        name,
        fileName: file.name,
        type: file.type,
        bytes: Buffer.from(await file.arrayBuffer()),
      });
    }
  }
  return parts;
}

/** Starts the peer on an ephemeral port; `more` registers more OAuth clients (id and certificate). */
export async function startRestPeer(more: readonly { id: string; credential: Credential }[] = []) {
  const pki = await testPki();
  const { Provider } = await import('oidc-provider');
  const server = createServer({ key: pki.server.keyPem, cert: pki.server.certPem, minVersion: 'TLSv1.2' });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `https://localhost:${(server.address() as AddressInfo).port}`;
  const signing = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const client = (id: string, c: Credential) => ({
    client_id: id,
    token_endpoint_auth_method: 'private_key_jwt',
    jwks: { keys: [c.certificate.publicKey.export({ format: 'jwk' })] },
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    scope: `${EBOX_PUBLICATION_SCOPE} scope:peer:other`,
  });
  const provider = new Provider(origin, {
    clients: [client(PEER_CLIENT, pki.rsa), ...more.map((m) => client(m.id, m.credential))],
    clientAuthMethods: ['private_key_jwt'],
    enabledJWA: { clientAuthSigningAlgValues: ['RS256', 'PS256', 'ES256'] },
    scopes: [EBOX_PUBLICATION_SCOPE, 'scope:peer:other'],
    jwks: { keys: [{ ...signing, use: 'sig', kid: 'peer' }] },
    cookies: { keys: ['ebox-rest-peer-cookie-key-0123456'] },
    features: { devInteractions: { enabled: false }, clientCredentials: { enabled: true } },
    ttl: { ClientCredentials: 600 },
  });
  // oidc-provider's token model, which the sandbox's narrow typing leaves out.
  const issued = (provider as unknown as { ClientCredentials: TokenModel }).ClientCredentials;
  let tokenRequests = 0;
  const oidc = provider.callback();
  const peer: RestPeer = {
    origin,
    received: [],
    tokenRequests: () => tokenRequests,
    answer: created,
    onChunk: undefined,
    async environment(dir, credential = pki.rsa) {
      writeFileSync(join(dir, 'oauth.crt'), credential.certPem);
      writeFileSync(join(dir, 'oauth.key'), credential.keyPem);
      writeFileSync(join(dir, 'ca.crt'), pki.ca.certPem);
      return {
        name: 'peer',
        channel: 'extranet',
        custom: true,
        endpoints: {
          'ebox.rest': { url: `${origin}${PUBLISH_PATH.replace('/publishMessage', '')}`, source: 'config' },
          'oauth.token': { url: `${origin}/token`, source: 'config' },
        },
        credentials: { oauth: { cert: 'oauth.crt', key: 'oauth.key' } },
        trust: { ca: 'ca.crt' },
        oauth: { clientId: PEER_CLIENT },
        institution: {},
        baseDir: dir,
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  async function publish(req: IncomingMessage, res: ServerResponse) {
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let length = 0;
    for await (const chunk of req) {
      const bytes = chunk as Buffer;
      peer.onChunk?.(bytes, req);
      hash.update(bytes);
      length += bytes.length;
      if (length <= PARSE_LIMIT) chunks.push(bytes);
    }
    const auth = String(req.headers.authorization ?? '');
    const bearer = /^Bearer ([\w.~+/-]+=*)$/.exec(auth)?.[1];
    const token = bearer === undefined ? undefined : await issued.find(bearer);
    const type = String(req.headers['content-type'] ?? '');
    const parts = length <= PARSE_LIMIT ? await parse(Buffer.concat(chunks), type) : undefined;
    const json = parts?.find((p) => p.name === 'messageToPublish')?.bytes.toString('utf8');
    const received: Received = {
      headers: req.headers,
      tokenScope: token?.scope,
      length,
      sha256: hash.digest(),
      parts,
      message: json === undefined ? undefined : (JSON.parse(json) as Record<string, unknown>),
    };
    peer.received.push(received);
    const answer: Answer =
      token === undefined
        ? {
            status: 401,
            headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
            body: { id: randomUUID(), code: 'UNAUTHORIZED', message: 'invalid token' },
          }
        : peer.answer(received);
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
    res.writeHead(answer.status, {
      'content-type': typeof answer.body === 'string' ? 'text/html' : 'application/json',
      ...answer.headers,
    });
    res.end(text);
  }

  server.on('request', (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'POST' && path === '/token') tokenRequests++;
    if (req.method === 'POST' && path === PUBLISH_PATH) {
      publish(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
      return;
    }
    oidc(req, res);
  });
  return peer;
}
