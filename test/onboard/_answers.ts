import type { OnboardAnswers } from '../../src/onboard/index.ts';

/** Raw answers (as a YAML file gives them), valid; tests change one field at a time. */
export function rawAnswers(): Record<string, unknown> {
  const contact = (name: string) => ({
    name,
    email: `${name.toLowerCase()}@example.be`,
    phone: '+32 2 555 01 01',
  });
  return {
    institution: { name: 'Office national de test', cbe: '0123.456.749', language: 'en' },
    contacts: {
      clientManager: contact('Marie'),
      technicalLead: contact('Jan'),
      securityAdviser: contact('Sophie'),
    },
    network: { sourceName: 'ONT-APP-01', sourceIps: ['10.20.30.40'], natIp: '193.191.210.7' },
    environments: ['acpt'],
    services: ['soap', 'rest', 'ebox'],
    applications: { cbss: 'urn:be:fgov:kbo-bce:ont:app', ebox: 'urn:be:fgov:kbo-bce:ont:ebox-sender' },
    ebox: {
      application: { name: 'ONT benefits', description: 'Benefit decisions sent to citizens.' },
      documentTypes: [
        {
          names: { fr: 'Décision', nl: 'Beslissing', de: 'Entscheidung' },
          description: 'The decision on a benefit request.',
          trigger: 'citizen',
        },
      ],
    },
    desiredDate: '2027-03-01',
  };
}

/** A deep copy of `raw` with `path` set to `value` (undefined removes it). */
export function withField(path: string, value: unknown, raw = rawAnswers()): Record<string, unknown> {
  const copy = structuredClone(raw);
  const keys = path.split('.');
  let node = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  if (value === undefined) delete node[keys[keys.length - 1]!];
  else node[keys[keys.length - 1]!] = value;
  return copy;
}

export type { OnboardAnswers };
