import { resolve } from 'node:path';
import { type ReadManifestOptions, readManifest } from './read-manifest.ts';
import type { BatchStore } from './store.ts';
import type { BatchRunInfo } from './types.ts';

export interface CreateRunFromManifestOptions extends ReadManifestOptions {
  /** The run id (see CreateRunInput.id); default a new one. */
  readonly id?: string;
  /** A single bad row rejects the whole run: nothing is ever sent (the report lists the bad rows). */
  readonly strict?: boolean;
  /** Kept with the run besides the manifest path, transport and strictness: JSON, secret-free. */
  readonly meta?: Readonly<Record<string, unknown>>;
}

/**
 * Reads and validates a manifest (`readManifest`) into a new run of `store`: every row stored —
 * ready ones `queued`, bad ones `invalid` with their line and code — before anything is sent. With
 * `strict`, a run with any invalid row is stored `rejected`. Throws what `readManifest` throws
 * for a manifest that cannot be read at all (then no run is left behind).
 */
export async function createRunFromManifest(
  store: BatchStore,
  manifest: string,
  options: CreateRunFromManifestOptions = {},
): Promise<BatchRunInfo> {
  const { id, strict = false, meta = {}, ...read } = options;
  return store.createRun({
    ...(id === undefined ? {} : { id }),
    meta: { ...meta, manifest: resolve(manifest), transport: read.transport ?? 'soap', strict },
    items: readManifest(manifest, read),
    rejectIfInvalid: strict,
  });
}
