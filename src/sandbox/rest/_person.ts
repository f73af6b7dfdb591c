import { createHash } from 'node:crypto';
import type { InssInfo } from '../../pki/ids/inss.ts';

const FIRST = ['Lotte', 'Mathis', 'Camille', 'Arthur', 'Elise', 'Noah', 'Louise', 'Lucas'];
const LAST = ['Peeters', 'Janssens', 'Dubois', 'Lambert', 'Maes', 'Claes', 'Dupont', 'Willems'];

/** Fake, deterministic person data derived from a (valid) SSIN: no real person behind it. */
export function _fakePerson(info: InssInfo) {
  const d = info.inss;
  const h = createHash('sha256').update(d).digest();
  const month = Number(d.slice(2, 4)) % 20;
  const century = info.born2000OrLater ? '20' : '19';
  const birthDate =
    month === 0 || d.slice(4, 6) === '00'
      ? null
      : `${century}${d.slice(0, 2)}-${String(month).padStart(2, '0')}-${d.slice(4, 6)}`;
  return {
    ssin: d,
    register: info.register,
    name: { first: FIRST[(h[0] ?? 0) % FIRST.length], last: LAST[(h[1] ?? 0) % LAST.length] },
    birthDate,
    gender: Number(d.slice(6, 9)) % 2 === 1 ? 'M' : 'F',
    fake: true,
  };
}
