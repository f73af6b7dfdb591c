import { createInterface } from 'node:readline/promises';
import type { z } from 'zod';
import { PasserelleError } from '../errors.ts';
import {
  AnswersSchema,
  type OnboardAnswers,
  onboardInit,
  parseAnswers,
  readAnswersFile,
} from '../onboard/index.ts';
import type { OnboardInitCliOptions } from './commands/onboard.ts';
import type { CommandContext } from './context.ts';
import { emit } from './output.ts';

/** `passerelle onboard init`: the answers from --answers, else from prompts on a terminal. */
export async function onboardInitCommand(ctx: CommandContext, opts: OnboardInitCliOptions): Promise<number> {
  let answers: OnboardAnswers;
  if (opts.answers !== undefined) {
    const { resolve } = await import('node:path');
    answers = await readAnswersFile(resolve(ctx.cwd, opts.answers));
  } else if (process.stdin.isTTY && process.stdout.isTTY && !ctx.json) {
    answers = await promptAnswers({ input: process.stdin, output: process.stdout });
  } else {
    throw new PasserelleError('ERR_USAGE', 'onboard init needs --answers FILE when not run on a terminal', {
      hint: 'Give --answers FILE (docs/onboarding-answers.example.yaml shows every field), or run it on a terminal to be asked.',
    });
  }
  const result = await onboardInit(answers, {
    outDir: opts.out,
    clock: ctx.clock,
    cwd: ctx.cwd,
    force: opts.force === true,
  });
  const formsWritten = result.forms.firewall.length + result.forms.ebox.length > 0;
  emit(
    ctx.io,
    ctx.json,
    {
      outDir: result.outDir,
      files: result.files,
      config: result.config,
      readme: result.readme,
      forms: result.forms,
      flows: result.flows.map((f) => ({
        row: f.row,
        environment: f.environment,
        service: f.service,
        destination: `${f.destination.ip}:${f.destination.port}`,
        protocol: f.protocol,
      })),
      kit: result.kit,
    },
    () =>
      [
        `onboarding folder ${result.outDir} (${result.files.length} files)`,
        `flows    ${result.flows.length} rows: ${result.flows.map((f) => `${f.row}. ${f.environment} ${f.destination.ip}:${f.destination.port}`).join(', ')}`,
        ...result.kit.map((e) => `csr      ${e.csr}  ${e.subject}`),
        `keys     ${result.kit.length} encrypted keys (mode 0600), each with its .key.pass`,
        `forms    ${formsWritten ? [...result.forms.firewall, ...result.forms.ebox].join(', ') : 'not written: fill in the firewall and eBox forms by hand'}`,
        `config   ${result.config}`,
        `next: read ${result.readme}: what to send to whom; never send the .key or .key.pass files.`,
      ].join('\n'),
  );
  return 0;
}

interface Question {
  readonly path: readonly string[];
  readonly label: string;
  readonly optional?: boolean;
  /** A comma-separated list. */
  readonly list?: boolean;
  readonly fallback?: string;
  readonly when?: (raw: Record<string, unknown>) => boolean;
}

const contactQuestions = (role: string, label: string): Question[] => [
  { path: ['contacts', role, 'name'], label: `${label}: name` },
  { path: ['contacts', role, 'email'], label: `${label}: e-mail` },
  { path: ['contacts', role, 'phone'], label: `${label}: phone` },
];

const wants = (raw: Record<string, unknown>, ...services: string[]) =>
  Array.isArray(raw['services']) && services.some((s) => (raw['services'] as string[]).includes(s));

/** The eBox forms' application and one document type (more can be listed in an answers file). */
function eboxQuestions(): Question[] {
  const when = (raw: Record<string, unknown>) => wants(raw, 'ebox');
  const doc = ['ebox', 'documentTypes', '0'];
  return [
    { path: ['ebox', 'application', 'name'], label: 'eBox application name', when },
    { path: ['ebox', 'application', 'description'], label: 'eBox application description', when },
    { path: [...doc, 'names', 'fr'], label: 'eBox document type: name in French', when },
    { path: [...doc, 'names', 'nl'], label: 'eBox document type: name in Dutch', when },
    { path: [...doc, 'names', 'de'], label: 'eBox document type: name in German', when },
    { path: [...doc, 'description'], label: 'eBox document type: description', when },
    {
      path: [...doc, 'trigger'],
      label:
        'eBox document type: sent after a citizen request or on the institution initiative (citizen, institution)',
      when,
    },
  ];
}

const QUESTIONS: readonly Question[] = [
  { path: ['institution', 'name'], label: 'Institution name' },
  { path: ['institution', 'cbe'], label: 'Institution CBE/KBO number' },
  {
    path: ['institution', 'language'],
    label: 'Language of the README and forms (fr, nl, en)',
    fallback: 'fr',
  },
  ...contactQuestions('clientManager', 'Client manager'),
  ...contactQuestions('technicalLead', 'Technical project lead'),
  ...contactQuestions('securityAdviser', 'Security adviser'),
  { path: ['network', 'sourceName'], label: 'Source name on the firewall form (server or network)' },
  { path: ['network', 'sourceIps'], label: 'Official source IPv4 address(es), comma-separated', list: true },
  { path: ['network', 'natIp'], label: 'NAT IPv4 address (empty: none)', optional: true },
  {
    path: ['environments'],
    label: 'Environments (test, acpt, prod)',
    list: true,
    fallback: 'test, acpt, prod',
  },
  { path: ['services'], label: 'Services (soap, mtom, rest, oauth, sftp, ebox)', list: true },
  { path: ['applications', 'cbss'], label: 'Application URN (CN of the TLS certificates)' },
  {
    path: ['applications', 'ebox'],
    label: 'eBox application URN (CN of the eBox sender certificates)',
    when: (raw) => wants(raw, 'ebox'),
  },
  {
    path: ['applications', 'oauth'],
    label: 'OAuth application URN (empty: the same as the TLS one)',
    optional: true,
    when: (raw) => wants(raw, 'rest', 'oauth'),
  },
  {
    path: ['oauth', 'clientId'],
    label: 'OAuth client id to ask for (empty: decided later)',
    optional: true,
    when: (raw) => wants(raw, 'rest', 'oauth'),
  },
  ...eboxQuestions(),
  { path: ['desiredDate'], label: 'Desired date (YYYY-MM-DD)' },
  { path: ['operationsFile'], label: 'Operations file reference (empty: none)', optional: true },
  { path: ['imputationCode'], label: 'Imputation code (empty: none)', optional: true },
  { path: ['description'], label: 'Description and motivation (empty: none)', optional: true },
];

/** The schema of one field of the answers (the object shapes walked by path). */
function fieldSchema(path: readonly string[]): z.ZodType {
  let schema: unknown = AnswersSchema;
  for (const key of path) {
    type Node = { shape?: Record<string, unknown>; element?: unknown; unwrap?: () => unknown };
    const node = schema as Node;
    const inner = node.unwrap?.() as Node | undefined;
    schema = /^\d+$/.test(key) ? (node.element ?? inner?.element) : (node.shape ?? inner?.shape)?.[key];
  }
  return schema as z.ZodType;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const [i, key] of path.slice(0, -1).entries()) {
    node[key] ??= /^\d+$/.test(path[i + 1]!) ? [] : {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/**
 * Asks every answer on a terminal, each checked as the answers file is (the same schema), asked
 * again until valid; the whole is then checked by parseAnswers.
 */
export async function promptAnswers(streams: {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}): Promise<OnboardAnswers> {
  const rl = createInterface({ input: streams.input, output: streams.output, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const say = (text: string) => streams.output.write(text);
  const raw: Record<string, unknown> = {};
  try {
    for (const q of QUESTIONS) {
      if (q.when && !q.when(raw)) continue;
      const schema = fieldSchema(q.path);
      for (;;) {
        say(`${q.label}${q.fallback ? ` [${q.fallback}]` : ''}: `);
        const next = await lines.next();
        if (next.done)
          throw new PasserelleError('ERR_USAGE', 'onboard init: the input ended before every answer');
        const line = String(next.value).trim() || q.fallback || '';
        if (line === '' && q.optional) break;
        const value = q.list
          ? line
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : line;
        const checked = schema.safeParse(value);
        if (checked.success) {
          setPath(raw, q.path, value);
          break;
        }
        say(`  ${checked.error.issues.map((i) => i.message).join('; ')}\n`);
      }
    }
  } finally {
    rl.close();
  }
  return parseAnswers(raw, { source: 'prompts' });
}
