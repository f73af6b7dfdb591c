// The process entry point of the CLI. bin/passerelle.mjs runs its compiled form (dist/cli/bin.js)
// with plain node; tests and the dev loop run the source through tsx
// (`node --import tsx src/cli/bin.ts ...`). Only this file touches process-wide settings.
import { setFlagsFromString } from 'node:v8';

// Keep V8's young generation at its initial size (1 MB semi-spaces) instead of letting it grow to
// 16 MB: the Buffer objects of a stream die young, and the memory they hold outside the heap is
// only given back when a scavenge collects them. With growth, a 256 MiB MTOM transfer peaks at
// 150-165 MB RSS; without, 125-130 MB (README, "Performance"). Same effect as starting node with
// --max-semi-space-size=1, which cannot be applied once the heap exists; this flag is read at each
// scavenge, so setting it here, before any code that allocates much, is effective.
setFlagsFromString('--semi-space-growth-factor=1');

// Loaded after the flag is set, and only then: the commands load their own code lazily.
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv);
