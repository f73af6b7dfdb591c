import { readFileSync } from 'node:fs';

/** Reads a file of test/vectors/soap/ (sources cited in its README.md). */
export function soapVector(name: string): string {
  return readFileSync(new URL(`../vectors/soap/${name}`, import.meta.url), 'utf8');
}
