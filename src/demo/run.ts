import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Clock, systemClock } from '../clock.ts';
import { resolveEnvironment } from '../config/environment.ts';
import { type LoadedConfig, loadConfig } from '../config/load.ts';
import { loadSandboxContracts } from '../sandbox/contracts/index.ts';
import { type RunningSandbox, startSandbox } from '../sandbox/host.ts';
import type { SandboxModule } from '../sandbox/module.ts';
import { defaultModules } from '../sandbox/modules.ts';
import { runStep } from './_run-step.ts';
import type { DemoContext, DemoEvent, DemoReport, DemoStep, DemoStepResult } from './step.ts';
import { demoContracts } from './steps/contracts.ts';
import { defaultSteps } from './steps/index.ts';

export interface RunDemoOptions {
  readonly clock?: Clock;
  /** Receives progress as it happens; the demo itself never prints. */
  readonly report?: (event: DemoEvent) => void;
  /** Keep the sandbox state here (kept afterwards). Default: a throw-away directory, removed at the end. */
  readonly stateDir?: string;
  /** Default: every registered flow (steps/index.ts). */
  readonly steps?: readonly DemoStep[];
  /** Default: every registered sandbox module (sandbox/modules.ts), serving the demo contracts. */
  readonly modules?: readonly SandboxModule[];
}

function checkSteps(steps: readonly DemoStep[]): void {
  const seen = new Set<string>(['sandbox']);
  for (const step of steps) {
    if (seen.has(step.id)) throw new TypeError(`runDemo: duplicate step id "${step.id}"`);
    for (const dep of step.dependsOn ?? []) {
      if (!seen.has(dep))
        throw new TypeError(`runDemo: step "${step.id}" depends on "${dep}", which does not run before it`);
    }
    seen.add(step.id);
  }
}

/**
 * Runs the demo: starts the sandbox in-process on ephemeral ports (the pseudo-step `sandbox`),
 * then every step in order, reporting each as it ends. A failed step fails the run; later
 * steps still run unless they depend on it. Always stops the sandbox and removes a throw-away
 * state directory. Resolves to the report; `report.ok` is false when any step failed.
 */
export async function runDemo(options: RunDemoOptions = {}): Promise<DemoReport> {
  const { clock = systemClock, report = () => {} } = options;
  const steps = options.steps ?? defaultSteps();
  checkSteps(steps);
  const started = performance.now();
  const throwAway = options.stateDir === undefined;
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'passerelle-demo-'));
  const results: DemoStepResult[] = [];
  const done = (r: DemoStepResult) => {
    results.push(r);
    report({ type: 'step', result: r });
  };
  report({ type: 'start', steps: steps.length + 1 });

  let sandbox: RunningSandbox | undefined;
  try {
    let ctx: DemoContext | undefined;
    done(
      await runStep({ id: 'sandbox', title: 'Start the sandbox in-process on ephemeral ports' }, async () => {
        const modules =
          options.modules ?? defaultModules({ contracts: await loadSandboxContracts(demoContracts()) });
        sandbox = await startSandbox({ stateDir, clock, modules });
        const workDir = join(stateDir, 'demo');
        mkdirSync(workDir, { recursive: true, mode: 0o700 });
        const config: LoadedConfig = await loadConfig({ path: sandbox.configPath, env: {} });
        const environment = resolveEnvironment(config, 'sandbox', {});
        ctx = { sandbox, clock, workDir, config, environment };
        return {
          checks: [
            `modules started: ${Object.keys(sandbox.modules).join(', ') || '(none)'}`,
            `${Object.keys(sandbox.endpoints).length} endpoints published in sandbox.json`,
            'the client configuration loads and resolves env "sandbox"',
          ],
        };
      }),
    );
    const status = new Map(results.map((r) => [r.id, r.status]));
    for (const step of steps) {
      const blocker =
        ctx === undefined
          ? 'sandbox'
          : (step.dependsOn ?? []).find((d: string) => status.get(d) !== 'passed');
      let result: DemoStepResult;
      if (blocker !== undefined || ctx === undefined) {
        result = {
          id: step.id,
          title: step.title,
          status: 'skipped',
          ms: 0,
          checks: [],
          skippedBecause: blocker ?? 'sandbox',
        };
      } else {
        const stepCtx = ctx;
        result = await runStep(step, () => step.run(stepCtx));
      }
      status.set(step.id, result.status);
      done(result);
    }
  } finally {
    await sandbox?.close();
    if (throwAway) rmSync(stateDir, { recursive: true, force: true });
  }
  const count = (s: DemoStepResult['status']) => results.filter((r) => r.status === s).length;
  const final: DemoReport = {
    ok: count('failed') === 0 && count('skipped') === 0,
    ms: performance.now() - started,
    steps: results,
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
  };
  report({ type: 'done', report: final });
  return final;
}
