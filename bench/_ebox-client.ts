// Child process of bench/ebox.ts: one client run alone in its process (as one CLI call would be),
// so that its peak RSS and CPU time are its own. Modes: `soap-large` / `rest-large` publish the
// large file once; `rates` measures, in alternating windows, signed test-connection calls and
// publications of a 100 KB PDF over SOAP and over REST (the same context, the same connections).
import { join } from 'node:path';
import { resolveEnvironment } from '../src/config/environment.ts';
import { loadConfig } from '../src/config/load.ts';
import { testConnection } from '../src/services/cbss/test-connection.ts';
import { createEboxRestClient, publishEboxMessage } from '../src/services/ebox/index.ts';
import type { EboxPublication } from '../src/services/ebox/publication.ts';
import { createServiceContext } from '../src/services/service-context.ts';
import { median } from './_measure.ts';

const [mode, configPath, dir, recipient, messageType] = process.argv.slice(2);
if (!mode || !configPath || !dir || !recipient || !messageType || !process.send)
  throw new Error('run by bench/ebox.ts');
const env = resolveEnvironment(await loadConfig({ path: configPath, env: {} }), 'sandbox', {});
const services = await createServiceContext(env, { processEnv: {} });
const rest = await createEboxRestClient(env, { processEnv: {} });
let ticket = 0;
const publication = (file: string): EboxPublication => ({
  recipient,
  messageType,
  subject: { lang: 'fr', text: 'Bench' },
  document: { path: join(dir, file), fileName: 'bench.pdf', mime: 'application/pdf' },
  ticket: `BENCH${process.pid}-${++ticket}`,
});

async function rate(fn: () => Promise<unknown>, ms: number): Promise<number> {
  let n = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < ms) {
    await fn();
    n++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return n / (elapsed / 1000);
}

const start = process.hrtime.bigint();
const cpu = process.cpuUsage();
let result: Record<string, number> = {};
if (mode === 'soap-large') await publishEboxMessage(services, publication('large.pdf'));
else if (mode === 'rest-large') await rest.publish(publication('large.pdf'));
else if (mode === 'rates') {
  const calls = {
    testConnection: () => testConnection(services, 'bench'),
    soap: () => publishEboxMessage(services, publication('small.pdf')),
    rest: () => rest.publish(publication('small.pdf')),
  };
  for (const fn of Object.values(calls)) await rate(fn, 500); // warm-up: connections, JIT, tokens
  const rounds: Record<string, number[]> = { testConnection: [], soap: [], rest: [] };
  for (let r = 0; r < 5; r++)
    for (const [name, fn] of Object.entries(calls)) rounds[name]!.push(await rate(fn, 1500));
  result = Object.fromEntries(Object.entries(rounds).map(([k, v]) => [k, median(v)]));
} else throw new Error(`unknown mode ${mode}`);
const used = process.cpuUsage(cpu);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
await rest.close();
await services.close();
const maxRss = process.resourceUsage().maxRSS * 1024;
process.send({ seconds, cpuSeconds: (used.user + used.system) / 1e6, maxRss, ...result }, () =>
  process.exit(0),
);
