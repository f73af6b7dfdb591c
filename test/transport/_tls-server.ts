import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SecureVersion, TLSSocket } from 'node:tls';
import type { Credential } from '../../src/pki/credential.ts';

export interface TestServerOptions {
  readonly cert: Credential;
  /** CA that client certificates must chain to; absent: no client certificate asked. */
  readonly clientCa?: Credential;
  readonly minVersion?: SecureVersion;
  readonly maxVersion?: SecureVersion;
  readonly ciphers?: string;
  readonly handler?: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;
}

export interface TestServer {
  readonly port: number;
  readonly url: string;
  /** TCP connections accepted so far. */
  connections(): number;
  /** Requests seen so far, with their headers and bodies. */
  readonly requests: {
    method: string;
    headers: IncomingMessage['headers'];
    body: Buffer;
    clientSubject: string | undefined;
  }[];
  close(): Promise<void>;
}

/** A real HTTPS server on 127.0.0.1 and an ephemeral port, closed when the test ends. */
export async function startTlsServer(
  t: { after: (fn: () => Promise<void> | void) => void },
  options: TestServerOptions,
): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  let connections = 0;
  const server = createServer(
    {
      key: options.cert.keyPem,
      cert: options.cert.certPem,
      ...(options.clientCa === undefined
        ? {}
        : { ca: [options.clientCa.certPem], requestCert: true, rejectUnauthorized: true }),
      ...(options.minVersion === undefined ? {} : { minVersion: options.minVersion }),
      ...(options.maxVersion === undefined ? {} : { maxVersion: options.maxVersion }),
      ...(options.ciphers === undefined ? {} : { ciphers: options.ciphers }),
    },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const peer = (req.socket as TLSSocket).getPeerX509Certificate?.();
        requests.push({ method: req.method ?? '', headers: req.headers, body, clientSubject: peer?.subject });
        if (options.handler) options.handler(req, res, body);
        else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    },
  );
  server.on('connection', () => {
    connections += 1;
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  t.after(close);
  return { port, url: `https://127.0.0.1:${port}/`, connections: () => connections, requests, close };
}
