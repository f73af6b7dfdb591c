import { join } from 'node:path';
import { FrozenClock } from '../../src/clock.ts';
import { type ResolvedEnvironment, resolveEnvironment } from '../../src/config/environment.ts';
import { loadConfig } from '../../src/config/load.ts';
import { type DoctorReport, type RunDoctorOptions, runDoctor } from '../../src/doctor/index.ts';
import { MemoryLogger } from '../../src/log.ts';
import type { SandboxFault } from '../../src/sandbox/faults.ts';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/host.ts';
import { defaultModules } from '../../src/sandbox/modules.ts';
import { tempDir } from '../_support/tmp.ts';

export interface DoctorSandbox {
  readonly sandbox: RunningSandbox;
  readonly clock: FrozenClock;
  readonly environment: ResolvedEnvironment;
  /** The published SOAP gateway (faulty under a listener fault): host and port. */
  readonly soap: { readonly host: string; readonly port: number; readonly hostPort: string };
  /** runDoctor against env `sandbox` with the frozen clock, no process environment, short timeouts. */
  doctor(options?: RunDoctorOptions): Promise<DoctorReport>;
}

/**
 * Starts every sandbox module in-process with `faults`, on ephemeral ports, in a fresh state
 * directory, with a clock frozen at the start time: the sandbox's OAuth server (oidc-provider)
 * works on real time, so the frozen time is the real one at start, and the run is shorter than
 * the client assertion's lifetime. Closed after the file's tests.
 */
export async function startDoctorSandbox(
  t: { after: (fn: () => void | Promise<void>) => void },
  faults: readonly SandboxFault[] = [],
): Promise<DoctorSandbox> {
  const clock = new FrozenClock(Date.now());
  const stateDir = join(tempDir(t, 'passerelle-doctor-'), 'state');
  const sandbox = await startSandbox({
    stateDir,
    clock,
    log: new MemoryLogger(),
    modules: defaultModules(),
    faults,
  });
  t.after(() => sandbox.close());
  const environment = resolveEnvironment(
    await loadConfig({ path: sandbox.configPath, env: {} }),
    'sandbox',
    {},
  );
  const url = new URL(sandbox.endpoints['cbss.soap'] ?? '');
  const soap = { host: url.hostname, port: Number(url.port), hostPort: `${url.hostname}:${url.port}` };
  return {
    sandbox,
    clock,
    environment,
    soap,
    doctor: (options = {}) =>
      runDoctor(environment, {
        clock,
        processEnv: {},
        ...options,
        timeouts: { tcpMs: 2000, tlsMs: 2000, ...options.timeouts },
      }),
  };
}
