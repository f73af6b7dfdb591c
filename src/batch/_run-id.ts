import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.ts';

/** `run-20261202-091500-3f9a1c`: sorts by creation time, unique by its random tail. */
export function _newRunId(clock: Clock): string {
  const stamp = new Date(clock.now()).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `run-${stamp}-${randomBytes(3).toString('hex')}`;
}
