import { readFileSync } from 'node:fs';
import { PasserelleError } from '../errors.ts';
import { emit, type Io } from './output.ts';

/**
 * The version of the installed package, read from its package.json at run time. This file is
 * src/cli/version.ts under tsx and dist/cli/version.js once built: both are two folders below
 * the package root, where package.json is (npm always ships it).
 */
export function packageVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  let manifest: { name?: unknown; version?: unknown };
  try {
    manifest = JSON.parse(readFileSync(url, 'utf8')) as typeof manifest;
  } catch (cause) {
    throw new PasserelleError('ERR_INTERNAL', 'Cannot read the package.json of passerelle', {
      hint: 'Reinstall passerelle: its package.json is missing or damaged.',
      details: { path: url.pathname },
      cause,
    });
  }
  if (manifest.name !== 'passerelle' || typeof manifest.version !== 'string') {
    throw new PasserelleError('ERR_INTERNAL', 'The package.json found is not the one of passerelle', {
      hint: 'Reinstall passerelle: its package.json is missing or damaged.',
      details: { path: url.pathname },
    });
  }
  return manifest.version;
}

/** `passerelle --version`: the version alone, or `{ ok: true, version }` with --json. */
export function printVersion(io: Io, json: boolean): number {
  const version = packageVersion();
  emit(io, json, { version }, () => version);
  return 0;
}
