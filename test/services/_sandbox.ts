import { join } from 'node:path';
import { FrozenClock } from '../../src/clock.ts';
import { type ResolvedEnvironment, resolveEnvironment } from '../../src/config/environment.ts';
import { loadConfig } from '../../src/config/load.ts';
import { MemoryLogger } from '../../src/log.ts';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/host.ts';
import { type SoaModuleOptions, soaModule } from '../../src/sandbox/soa/module.ts';
import { TEST_NOW } from '../_support/credentials.ts';
import { tempDir } from '../_support/tmp.ts';

export interface SoaSandbox {
  readonly sandbox: RunningSandbox;
  readonly clock: FrozenClock;
  readonly environment: ResolvedEnvironment;
  /** Every sandbox log entry, mirrored (precise rejection reasons are asserted here). */
  readonly log: MemoryLogger;
}

/**
 * Starts a sandbox with the soa module alone, on ephemeral ports, a frozen clock and a fresh
 * state directory removed after the file's tests; returns it with env `sandbox` of its
 * client configuration, as the CLI would resolve it.
 */
export async function startSoaSandbox(
  t: { after: (fn: () => void | Promise<void>) => void },
  options: SoaModuleOptions = {},
): Promise<SoaSandbox> {
  const clock = new FrozenClock(TEST_NOW);
  const log = new MemoryLogger();
  const stateDir = join(tempDir(t, 'passerelle-soa-'), 'state');
  const sandbox = await startSandbox({ stateDir, clock, log, modules: [soaModule(options)] });
  t.after(() => sandbox.close());
  const loaded = await loadConfig({ path: sandbox.configPath, env: {} });
  return { sandbox, clock, log, environment: resolveEnvironment(loaded, 'sandbox', {}) };
}
