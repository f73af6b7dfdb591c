// Child process of bench/batch.ts: the sandbox eBox alone (its own process: its CPU and RSS are
// its own). Answers "usage" with its peak RSS and CPU time; "stop" closes it.
import { join } from 'node:path';
import { eboxModule } from '../src/sandbox/ebox/module.ts';
import { startSandbox } from '../src/sandbox/host.ts';

const dir = process.argv[2];
if (!dir || !process.send) throw new Error('run by bench/batch.ts');
const sandbox = await startSandbox({ stateDir: join(dir, 'state'), modules: [eboxModule()] });
const usage = () => {
  const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage();
  return { maxRss: maxRSS * 1024, cpuSeconds: (userCPUTime + systemCPUTime) / 1e6 };
};
process.on('message', (m: string) => {
  if (m === 'usage') process.send?.(usage());
  if (m === 'stop') sandbox.close().then(() => process.exit(0));
});
process.send({ configPath: sandbox.configPath });
