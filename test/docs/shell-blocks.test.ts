// The shell blocks of README.md and docs/configuration.md run (see _run-documents.ts).
import { runDocuments } from './_run-documents.ts';

runDocuments(['README.md', 'docs/configuration.md']);
