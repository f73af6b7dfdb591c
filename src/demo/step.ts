import type { Clock } from '../clock.ts';
import type { ResolvedEnvironment } from '../config/environment.ts';
import type { LoadedConfig } from '../config/load.ts';
import type { ErrorCode } from '../errors.ts';
import type { RunningSandbox } from '../sandbox/host.ts';

/** What a demo step receives. */
export interface DemoContext {
  /** The in-process sandbox the demo drives (endpoints, PKI, module stats, log). */
  readonly sandbox: RunningSandbox;
  readonly clock: Clock;
  /** A scratch directory of this run, removed with it. */
  readonly workDir: string;
  /** The sandbox's client configuration, loaded from its passerelle.config.json like the CLI does. */
  readonly config: LoadedConfig;
  /** Env `sandbox` of that configuration. */
  readonly environment: ResolvedEnvironment;
}

export interface DemoStepOutcome {
  /** What was checked, one short sentence each, e.g. "the CSR signature verifies". */
  readonly checks: readonly string[];
}

/**
 * One step of a flow. A step throws to fail (a PasserelleError keeps its code; use
 * `demoExpect` from `_expect.ts` for plain conditions). Steps run in order; a step whose
 * `dependsOn` names a failed or skipped step is skipped.
 */
export interface DemoStep {
  /** Unique, kebab-case, prefixed by the flow: `pki.csr`, `soa.test-connection`, ... */
  readonly id: string;
  readonly title: string;
  readonly dependsOn?: readonly string[];
  /** Default 60 s. */
  readonly timeoutMs?: number;
  run(ctx: DemoContext): Promise<DemoStepOutcome>;
}

export interface DemoStepResult {
  readonly id: string;
  readonly title: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly ms: number;
  readonly checks: readonly string[];
  readonly error?: { readonly code: ErrorCode; readonly message: string; readonly hint?: string };
  /** For a skipped step: the step it depended on that did not pass. */
  readonly skippedBecause?: string;
}

export interface DemoReport {
  readonly ok: boolean;
  readonly ms: number;
  readonly steps: readonly DemoStepResult[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** Progress events, in order: `sandbox` steps and flow steps as `step`, then `done`. */
export type DemoEvent =
  | { readonly type: 'start'; readonly steps: number }
  | { readonly type: 'step'; readonly result: DemoStepResult }
  | { readonly type: 'done'; readonly report: DemoReport };
