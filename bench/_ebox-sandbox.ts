// Child process of bench/ebox.ts: the sandbox with the modules an eBox publication needs (the
// SOA gateway for the test-connection baseline, the OAuth server for REST tokens, eBox). Runs
// apart so that its peak RSS and CPU time are its own; answers "usage", "stop" closes it.
import { join } from 'node:path';
import { eboxModule } from '../src/sandbox/ebox/module.ts';
import { startSandbox } from '../src/sandbox/host.ts';
import { oauthModule } from '../src/sandbox/oauth/module.ts';
import { soaModule } from '../src/sandbox/soa/module.ts';

const dir = process.argv[2];
if (!dir || !process.send) throw new Error('run by bench/ebox.ts');
const sandbox = await startSandbox({
  stateDir: join(dir, 'state'),
  modules: [soaModule(), oauthModule(), eboxModule()],
});
const usage = () => {
  const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage();
  return { maxRss: maxRSS * 1024, cpuSeconds: (userCPUTime + systemCPUTime) / 1e6 };
};
process.on('message', (m: string) => {
  if (m === 'usage') process.send?.(usage());
  if (m === 'stop') sandbox.close().then(() => process.exit(0));
});
process.send({ configPath: sandbox.configPath });
