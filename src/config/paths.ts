import { isAbsolute, resolve } from 'node:path';

/** `p` as an absolute path: as is when absolute, else against `baseDir` (a config file's directory). */
export function resolvePath(baseDir: string, p: string): string {
  return isAbsolute(p) ? p : resolve(baseDir, p);
}
