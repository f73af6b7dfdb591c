import { PasserelleError } from '../errors.ts';
import type { _LedgerData } from './ledger.ts';
import { parseSubmissionFileName } from './names.ts';
import type { SftpSession } from './session.ts';

/** Sequences already used on `date`: in the remote IN folder (final and `.part` names) and the record. */
export async function _usedSequences(
  session: SftpSession,
  inDir: string,
  ledger: _LedgerData,
  date: string,
): Promise<Set<string>> {
  const used = new Set<string>();
  for (const entry of await session.list(inDir)) {
    try {
      const { key } = parseSubmissionFileName(entry.name.replace(/\.part$/, ''));
      if (key.date === date) used.add(key.sequence);
    } catch {
      // not a submission file: ignore
    }
  }
  for (const s of ledger.submissions) if (s.key.date === date) used.add(s.key.sequence);
  return used;
}

/** The first 5-digit sequence (00001–99999) not in `used`. */
export function _firstFreeSequence(used: ReadonlySet<string>, date: string): string {
  for (let n = 1; n <= 99_999; n++) {
    const sequence = String(n).padStart(5, '0');
    if (!used.has(sequence)) return sequence;
  }
  throw new PasserelleError('ERR_SFTP_SUBMISSION_EXISTS', `Every sequence number of ${date} is used`, {
    details: { date },
  });
}
