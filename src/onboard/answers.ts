import { isIP } from 'node:net';
import { z } from 'zod';
import { PasserelleError } from '../errors.ts';
import { normalizeCbe } from '../pki/ids/cbe.ts';
import { EboxAnswersSchema } from './_ebox-answers.ts';

/**
 * The onboarding answers (`passerelle onboard init --answers FILE`, or the prompts): who the
 * institution is, who to contact, where its calls come from, and which environments and services
 * of the platforms it wants (PROTOCOLS.md §1, §2, §10). parseAnswers checks them and throws
 * ERR_ONBOARD_ANSWERS_INVALID naming every bad field (`institution.cbe: checksum`).
 */

export const ONBOARD_ENVIRONMENTS = ['test', 'acpt', 'prod'] as const;
export type OnboardEnvironment = (typeof ONBOARD_ENVIRONMENTS)[number];

/** soap 4520, mtom 4522, rest 4543 (PROTOCOLS.md §1), the OAuth v5 client, SFTP batch, eBox publication. */
export const ONBOARD_SERVICES = ['soap', 'mtom', 'rest', 'oauth', 'sftp', 'ebox'] as const;
export type OnboardService = (typeof ONBOARD_SERVICES)[number];

export const ONBOARD_LANGUAGES = ['fr', 'nl', 'en'] as const;
export type OnboardLanguage = (typeof ONBOARD_LANGUAGES)[number];

/** The longest value a certificate subject field takes (profiles.ts). */
const SUBJECT_MAX = 64;

const text = (max: number) =>
  z
    .string({ error: 'a text is required' })
    .trim()
    .min(1, { error: 'empty' })
    .max(max, { error: `longer than ${max} characters` });

/** Free text that goes in a certificate subject (profiles.ts refuses the rest). */
const subjectText = text(SUBJECT_MAX).refine((v) => !/["\\\p{Cc}]/u.test(v) && !v.startsWith('#'), {
  error: 'no quotes, backslashes, control characters or leading "#" (it goes in a certificate subject)',
});

const ipv4 = z
  .string({ error: 'an IPv4 address is required' })
  .trim()
  .refine((v) => isIP(v) === 4, { error: (iss) => `not an IPv4 address: "${String(iss.input)}"` });

const urn = text(SUBJECT_MAX).refine((v) => /^urn:[a-z0-9][a-z0-9-]{0,31}:\S+$/i.test(v), {
  error: (iss) => `not a URN (urn:<namespace>:<name>, no spaces): "${String(iss.input)}"`,
});

const cbe = z
  .union([z.string(), z.number().int().nonnegative()], { error: 'a CBE number is required' })
  .transform((value, ctx) => {
    try {
      return normalizeCbe(String(value));
    } catch (e) {
      const checksum = e instanceof PasserelleError && e.details['expected'] !== undefined;
      const reason = e instanceof Error ? e.message.replace(/^[^:]*: /, '') : 'invalid';
      ctx.issues.push({ code: 'custom', input: value, message: checksum ? `checksum (${reason})` : reason });
      return z.NEVER;
    }
  });

const contact = z
  .object({
    name: text(80),
    email: z.email({ error: 'not an e-mail address' }),
    phone: z
      .string({ error: 'a phone number is required' })
      .trim()
      .regex(/^\+?[0-9][0-9 ./()-]{5,24}$/, { error: 'not a phone number (digits, spaces, + . / ( ) -)' }),
  })
  .strict();

const oneOf = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, {
    error: (iss) => `unknown ${what} "${String(iss.input)}" (one of ${values.join(', ')})`,
  });

/** Removes duplicates and puts the values in the canonical order of `all`. */
const canonical =
  <T extends string>(all: readonly T[]) =>
  (values: readonly T[]): T[] =>
    all.filter((v) => values.includes(v));

export const AnswersSchema = z
  .object({
    institution: z
      .object({
        name: subjectText,
        cbe,
        language: oneOf(ONBOARD_LANGUAGES, 'language'),
      })
      .strict(),
    contacts: z.object({ clientManager: contact, technicalLead: contact, securityAdviser: contact }).strict(),
    network: z
      .object({
        /** The source's name on the firewall form (a server or a network name). */
        sourceName: text(60),
        /** The official source IP(s) the calls come from. */
        sourceIps: z.array(ipv4, { error: 'a list of IPv4 addresses' }).min(1, { error: 'at least one' }),
        /** The address the source is translated to, when the partner NATs it. */
        natIp: ipv4.optional(),
      })
      .strict(),
    environments: z
      .array(oneOf(ONBOARD_ENVIRONMENTS, 'environment'), { error: 'a list of environments' })
      .min(1, { error: 'at least one' })
      .transform(canonical(ONBOARD_ENVIRONMENTS)),
    services: z
      .array(oneOf(ONBOARD_SERVICES, 'service'), { error: 'a list of services' })
      .min(1, { error: 'at least one' })
      .transform(canonical(ONBOARD_SERVICES)),
    applications: z
      .object({
        /** CN of the TLS client (and WS-Security signing) certificates. */
        cbss: urn,
        /** CN of the eBox sender certificates: required when ebox is wanted. */
        ebox: urn.optional(),
        /** CN of the OAuth client-assertion certificates; default: `cbss`. */
        oauth: urn.optional(),
      })
      .strict(),
    oauth: z
      .object({
        /** The client id asked for (seed 001: e.g. partenaire:federal:service:bus:client:confidential). */
        clientId: text(200).optional(),
      })
      .strict()
      .optional(),
    desiredDate: z
      .union([z.string(), z.date()], { error: 'a date YYYY-MM-DD is required' })
      .transform((v, ctx) => {
        const s = v instanceof Date ? v.toISOString().slice(0, 10) : v.trim();
        const ok = /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
        if (!ok) ctx.issues.push({ code: 'custom', input: v, message: `not a date YYYY-MM-DD: "${s}"` });
        return s;
      }),
    /** The eBox application and document types (the eBox request forms): required when ebox is wanted. */
    ebox: EboxAnswersSchema.optional(),
    /** The platform's operations file (dossier) reference, when one exists. */
    operationsFile: text(60).optional(),
    imputationCode: text(40).optional(),
    /** Description and motivation on the firewall form. */
    description: text(500).optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.services.includes('ebox') && a.applications.ebox === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['applications', 'ebox'],
        message: 'required when the ebox service is wanted (the CN of the eBox sender certificate)',
      });
    }
    if (a.services.includes('ebox') && a.ebox === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['ebox'],
        message:
          'required when the ebox service is wanted (the application and document types of the eBox forms)',
      });
    }
    if (a.services.includes('ebox') && !a.environments.some((e) => e === 'acpt' || e === 'prod')) {
      ctx.addIssue({
        code: 'custom',
        path: ['environments'],
        message: 'the eBox publication service exists in acpt and prod only: add one of them',
      });
    }
  });

export type OnboardAnswers = z.infer<typeof AnswersSchema>;

export interface ParseAnswersOptions {
  /** Where the answers come from (a file name, "prompt"), for the message. */
  readonly source?: string;
}

/** Checks raw answers (parsed YAML or JSON): the answers, or ERR_ONBOARD_ANSWERS_INVALID naming each bad field. */
export function parseAnswers(raw: unknown, options: ParseAnswersOptions = {}): OnboardAnswers {
  const parsed = AnswersSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, 10).map((issue) => ({
    field: issue.path.length ? issue.path.join('.') : '(root)',
    message: issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : issue.message,
  }));
  const fields = [...new Set(problems.map((p) => p.field))];
  const from = options.source === undefined ? '' : ` (${options.source})`;
  throw new PasserelleError(
    'ERR_ONBOARD_ANSWERS_INVALID',
    `Onboarding answers${from} are invalid: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
    {
      hint: `Fix ${fields.join(', ')}${from} (docs/onboarding-answers.example.yaml shows every field).`,
      details: {
        fields,
        problems: problems.map((p) => `${p.field}: ${p.message}`),
        ...(options.source === undefined ? {} : { source: options.source }),
      },
    },
  );
}
