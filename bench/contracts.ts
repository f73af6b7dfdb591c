// REST calls through a contract: the example persons contract served by the sandbox
// (bearer token, scopes, request validated against the contract, generated reply) and called
// with `callOperation` (request validated before sending, response after), next to the same
// lookup without any contract: the sandbox's built-in `/demo/v1/persons/{ssin}` through the
// plain REST client, same token, same listener. A third line turns off the client's validation
// only. Rates come from alternating windows in one run (16 calls in flight), so the ratios
// show what validation costs on both sides. One process holds the sandbox and the client.
// Alone: `node --import tsx bench/contracts.ts`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveEnvironment } from '../src/config/environment.ts';
import { loadConfig } from '../src/config/load.ts';
import { createContractValidator, findOperation, loadOpenApi } from '../src/openapi/index.ts';
import { loadSandboxContracts } from '../src/sandbox/contracts/index.ts';
import { startSandbox } from '../src/sandbox/host.ts';
import { oauthModule } from '../src/sandbox/oauth/module.ts';
import { restModule } from '../src/sandbox/rest/module.ts';
import { callOperation } from '../src/services/rest/call-operation.ts';
import { createRestService } from '../src/services/rest/create-rest-service.ts';
import { type Bench, type BenchReport, median, runIfMain } from './_measure.ts';

const PERSONS = fileURLToPath(new URL('../contracts/examples/persons.openapi.yaml', import.meta.url));
const SSIN = '85073003328';
const IN_FLIGHT = 16;

/** Calls per second of `call` over about `ms`, `IN_FLIGHT` at a time. */
async function window(call: () => Promise<unknown>, ms: number): Promise<number> {
  const start = performance.now();
  let n = 0;
  const worker = async () => {
    while (performance.now() - start < ms) {
      await call();
      n++;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return n / ((performance.now() - start) / 1000);
}

const bench: Bench = {
  name: 'contracts',
  description:
    'REST calls through a contract (validated by the client and by the sandbox) vs the same lookup without a contract, in one run',
  async run(report: BenchReport) {
    const dir = mkdtempSync(join(tmpdir(), 'passerelle-bench-contracts-'));
    const contracts = await loadSandboxContracts([{ file: PERSONS }]);
    const sandbox = await startSandbox({
      stateDir: join(dir, 'state'),
      modules: [oauthModule({ extraScopes: contracts.scopes }), restModule({ contracts })],
    });
    const env = resolveEnvironment(await loadConfig({ path: sandbox.configPath, env: {} }), 'sandbox', {});
    const service = await createRestService(env, { processEnv: {} });
    try {
      const contract = await loadOpenApi(PERSONS);
      const op = findOperation(contract, 'getPerson');
      const validator = createContractValidator(contract);
      const rest = service.rest();
      const scope = `${op.scopes.join(' ')} scope:demo:consult`;
      const paths: Record<string, () => Promise<unknown>> = {
        contract: () => callOperation(rest, contract, op, { params: { ssin: SSIN } }, { validator, scope }),
        'contract, client not validating': () =>
          callOperation(rest, contract, op, { params: { ssin: SSIN } }, { validate: false, scope }),
        plain: () => rest.get(`/v1/persons/${SSIN}`, { api: 'demo', scope }),
      };
      for (const call of Object.values(paths)) await window(call, 1000); // warm-up, one token
      const rates: Record<string, number[]> = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
      for (let round = 0; round < 5; round++)
        for (const [name, call] of Object.entries(paths)) rates[name]!.push(await window(call, 1500));
      const ratio = (name: string) => median(rates[name]!.map((r, i) => r / rates['plain']![i]!)).toFixed(2);
      report.rate(
        'getPerson, contract validated both sides',
        median(rates['contract']!),
        `${ratio('contract')}× plain`,
      );
      report.rate(
        'getPerson, contract, sandbox validating only',
        median(rates['contract, client not validating']!),
        `${ratio('contract, client not validating')}× plain`,
      );
      report.rate('GET /demo/v1/persons/{ssin}, no contract', median(rates['plain']!), 'baseline');
    } finally {
      await service.close();
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
await runIfMain(bench, import.meta.url);
