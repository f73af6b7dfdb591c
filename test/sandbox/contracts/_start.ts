import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FrozenClock } from '../../../src/clock.ts';
import { MemoryLogger } from '../../../src/log.ts';
import { createHttpClient } from '../../../src/oauth/create-http-client.ts';
import { createOAuthClient, type OAuthClient } from '../../../src/oauth/create-oauth-client.ts';
import type { HttpClient } from '../../../src/oauth/types.ts';
import { loadSandboxContracts, type SandboxContractEntry } from '../../../src/sandbox/contracts/index.ts';
import type { SandboxContracts } from '../../../src/sandbox/contracts/types.ts';
import { type RunningSandbox, startSandbox } from '../../../src/sandbox/host.ts';
import { SANDBOX_OAUTH_CLIENT_ID } from '../../../src/sandbox/oauth/constants.ts';
import { oauthModule } from '../../../src/sandbox/oauth/module.ts';
import { restModule } from '../../../src/sandbox/rest/module.ts';
import { soaModule } from '../../../src/sandbox/soa/module.ts';
import { TEST_NOW } from '../../_support/credentials.ts';
import { tempDir } from '../../_support/tmp.ts';

const ROOT = resolve(import.meta.dirname, '../../../contracts');
/** The contracts the tests serve (the repository's `contracts/` folder). */
export const CONTRACT_FILES = {
  persons: join(ROOT, 'examples/persons.openapi.yaml'),
  eboxRest: join(ROOT, 'ebox/e-Box-Enterprise-swagger-v2.1-AP-Public.yaml'),
  eboxWsdl: join(ROOT, 'ebox/soap/be/socialsecurity/eboxmessage/v1/EboxMessage_v1.wsdl'),
};

export interface ContractSandbox {
  readonly sandbox: RunningSandbox;
  readonly contracts: SandboxContracts;
  /** Every sandbox log entry (precise reasons are asserted here). */
  readonly log: MemoryLogger;
  /** The SOAP signing clock (the authorization server and the REST APIs use real time). */
  readonly clock: FrozenClock;
  /** Mutual TLS client of the partner. */
  readonly http: HttpClient;
  readonly oauth: OAuthClient;
  /** `https://host:port`: the REST listener, without `/{api}`. */
  readonly restBase: string;
}

/** Writes a scenario file into `dir` and returns its path. */
export function writeScenarios(dir: string, name: string, yaml: string): string {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

/**
 * Starts a sandbox with the oauth (the contracts' scopes grantable), rest and soa modules
 * serving `entries`, on ephemeral ports, a fresh state directory removed after the file's
 * tests, the SOAP clock frozen at TEST_NOW.
 */
export async function startContractSandbox(
  t: { after: (fn: () => void | Promise<void>) => void },
  entries: readonly SandboxContractEntry[],
): Promise<ContractSandbox> {
  const contracts = await loadSandboxContracts(entries);
  const clock = new FrozenClock(TEST_NOW);
  const log = new MemoryLogger();
  const stateDir = join(tempDir(t, 'passerelle-contracts-'), 'state');
  const sandbox = await startSandbox({
    stateDir,
    clock,
    log,
    modules: [
      soaModule({ contracts }),
      oauthModule({ extraScopes: contracts.scopes }),
      restModule({ contracts }),
    ],
  });
  const http = createHttpClient({ ca: sandbox.pki.ca.certPem, credential: sandbox.pki.partner.tls });
  t.after(async () => {
    await http.close();
    await sandbox.close();
  });
  const oauth = createOAuthClient({
    clientId: SANDBOX_OAUTH_CLIENT_ID,
    credential: sandbox.pki.partner.oauth,
    tokenEndpoint: sandbox.endpoints['oauth.token'] ?? '',
    http,
    refreshMarginSeconds: 0,
  });
  const restBase = (sandbox.endpoints['cbss.rest'] ?? '').replace('/{api}', '');
  return { sandbox, contracts, log, clock, http, oauth, restBase };
}
