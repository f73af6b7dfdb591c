// The shell blocks of docs/guide.md run, in a file of their own: the guide alone takes minutes.
import { runDocuments } from './_run-documents.ts';

runDocuments(['docs/guide.md']);
