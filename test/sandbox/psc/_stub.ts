import { join } from 'node:path';
import * as client from 'openid-client';
import { Agent, fetch as undiciFetch } from 'undici';
import { MemoryLogger } from '../../../src/log.ts';
import { type PscStub, type PscStubOptions, startPscStub } from '../../../src/sandbox/psc/start-psc.ts';
import { testPki } from '../../_support/credentials.ts';
import { tempDir } from '../../_support/tmp.ts';

export interface StartedStub {
  readonly stub: PscStub;
  readonly ca: string;
  readonly log: MemoryLogger;
  readonly stateDir: string;
  /** undici's fetch, TLS pinned to the test CA (openid-client's customFetch). */
  readonly fetch: typeof undiciFetch;
}

type Hooks = { after(fn: () => unknown): void };

/** A PSC stub on an ephemeral loopback port with the test PKI's server certificate; closed after. */
export async function startStub(
  t: Hooks,
  extra: Partial<PscStubOptions> = {},
  stateDir = join(tempDir(t, 'passerelle-psc-'), 'state'),
): Promise<StartedStub> {
  const pki = await testPki();
  const log = new MemoryLogger();
  const stub = await startPscStub({
    host: '127.0.0.1',
    port: 0,
    tls: { key: pki.server.keyPem, cert: pki.server.certPem },
    log,
    stateDir,
    ...extra,
  });
  const agent = new Agent({ connect: { ca: pki.ca.certPem } });
  t.after(async () => {
    await stub.close();
    await agent.close();
  });
  const pinned = ((url: Parameters<typeof undiciFetch>[0], init?: Parameters<typeof undiciFetch>[1]) =>
    undiciFetch(url, { ...init, dispatcher: agent })) as typeof undiciFetch;
  return { stub, ca: pki.ca.certPem, log, stateDir, fetch: pinned };
}

/** openid-client 6 configured from the stub's wallet discovery path (public client, PKCE). */
export async function rp(s: StartedStub, clientId = 'passerelle-lps'): Promise<client.Configuration> {
  const config = await client.discovery(
    new URL(s.stub.endpoints.walletDiscovery),
    clientId,
    undefined,
    client.None(),
    {
      [client.customFetch]: s.fetch as unknown as client.CustomFetch,
    },
  );
  config[client.customFetch] = s.fetch as unknown as client.CustomFetch;
  return config;
}

/** An authorization URL with PKCE S256, state, `scope=openid scope_all` and `acr_values`. */
export async function authorizationRequest(
  config: client.Configuration,
  redirectUri: string,
  extra: Record<string, string> = {},
) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid scope_all',
    acr_values: 'eidas1',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...extra,
  });
  return { url, verifier, state };
}

/** POSTs a form to the stub's introspection endpoint (HTTP Basic unless `auth` is null). */
export async function introspect(
  s: StartedStub,
  token: string,
  auth: { id: string; secret: string } | null = {
    id: s.stub.introspectionClient.clientId,
    secret: s.stub.introspectionClient.clientSecret,
  },
) {
  const basic =
    auth === null
      ? {}
      : {
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(auth.id)}:${encodeURIComponent(auth.secret)}`).toString('base64')}`,
        };
  const res = await s.fetch(s.stub.endpoints.introspection, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...basic },
    body: new URLSearchParams({ token }).toString(),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}
