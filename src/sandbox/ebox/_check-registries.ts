import { normalizeCbe } from '../../pki/ids/cbe.ts';
import { validateInss } from '../../pki/ids/inss.ts';
import type { EboxRegistries } from './_registry.ts';

/** Checks and normalises registries given to the module (a TypeError names the bad entry). */
export function _checkRegistries(r: EboxRegistries): EboxRegistries {
  const cbe = (value: string, where: string) => {
    try {
      return normalizeCbe(value);
    } catch {
      throw new TypeError(`eboxModule: ${where} "${value}" is not a valid CBE number`);
    }
  };
  const citizens = r.citizens.map((c) => {
    try {
      validateInss(c.inss);
    } catch {
      throw new TypeError(`eboxModule: citizen ${c.name} has an invalid INSS`);
    }
    if (!/^\d{11}$/.test(c.inss)) throw new TypeError(`eboxModule: citizen ${c.name}: INSS as 11 digits`);
    return c;
  });
  return {
    institutions: r.institutions.map((i) => cbe(i, 'institution')),
    senders: r.senders.map((s) => ({ ...s, institution: cbe(s.institution, 'sender institution') })),
    citizens,
  };
}
