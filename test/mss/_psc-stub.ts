import { join } from 'node:path';
import { MemoryLogger } from '../../src/log.ts';
import { discoverPsc, type PscClient } from '../../src/mss/psc-client.ts';
import { SANDBOX_PSC_CLIENT_ID } from '../../src/sandbox/psc/professionals.ts';
import { type PscStub, type PscStubOptions, startPscStub } from '../../src/sandbox/psc/start-psc.ts';
import { testPki } from '../_support/credentials.ts';
import { tempDir } from '../_support/tmp.ts';

type Hooks = { after(fn: () => unknown): void };

export interface StubAndClient {
  readonly stub: PscStub;
  /** The test CA's PEM: the stub's server certificate chains to it. */
  readonly ca: string;
  readonly client: PscClient;
}

/** The sandbox PSC stub on an ephemeral loopback port, and a PscClient discovered from it; closed after. */
export async function stubAndClient(t: Hooks, extra: Partial<PscStubOptions> = {}): Promise<StubAndClient> {
  const pki = await testPki();
  const stub = await startPscStub({
    host: '127.0.0.1',
    port: 0,
    tls: { key: pki.server.keyPem, cert: pki.server.certPem },
    log: new MemoryLogger(),
    stateDir: join(tempDir(t, 'passerelle-mss-psc-'), 'state'),
    ...extra,
  });
  t.after(() => stub.close());
  const client = await discoverPsc({
    issuer: stub.issuer,
    clientId: SANDBOX_PSC_CLIENT_ID,
    ca: pki.ca.certPem,
  });
  t.after(() => client.close());
  return { stub, ca: pki.ca.certPem, client };
}
