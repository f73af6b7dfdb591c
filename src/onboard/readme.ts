import { formatCbe } from '../pki/ids/cbe.ts';
import { README_TEXT } from './_readme-text.ts';
import type { OnboardAnswers } from './answers.ts';
import type { FirewallFlow } from './flows.ts';
import type { KitEntry } from './kit.ts';

/** Who receives what during onboarding, as the seeds say. */
export const ONBOARDING_RECIPIENTS = {
  /** The signed firewall form (seed 000). */
  firewall: { to: 'security@ksz-bcss.fgov.be', cc: 'jean.jochmans@ksz-bcss.fgov.be' },
  /** The `.crt` files and the OAuth client id request: the KSZ-BCSS ESB team (seeds 000, 001). */
  certificates: { to: 'esb@ksz-bcss.fgov.be' },
  oauth: { to: 'esb@ksz-bcss.fgov.be' },
  /** The eBox request forms (seed 003). */
  ebox: { to: 'eboxintegration@smals.be' },
} as const;

export interface KitReadmeInput {
  readonly answers: OnboardAnswers;
  readonly flows: readonly FirewallFlow[];
  readonly kit: readonly KitEntry[];
  /** The form files written (relative paths); empty when the forms were not generated. */
  readonly forms: { readonly firewall: readonly string[]; readonly ebox: readonly string[] };
  /** Every file of the folder (relative paths), README.md included. */
  readonly files: readonly string[];
  /** The day the folder was written, YYYY-MM-DD. */
  readonly date: string;
}

const cell = (s: string) => s.replace(/\|/g, '\\|');
const row = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
const table = (header: readonly string[], rows: readonly (readonly string[])[]) => [
  row(header),
  row(header.map(() => '---')),
  ...rows.map(row),
];

/** The README.md of the onboarding folder, in the institution's language: what to send to whom. */
export function kitReadme(input: KitReadmeInput): string {
  const { answers, flows, kit, forms, files, date } = input;
  const t = README_TEXT[answers.institution.language];
  const r = ONBOARDING_RECIPIENTS;
  const doctorEnv = answers.environments.includes('acpt') ? 'acpt' : (answers.environments[0] ?? 'acpt');
  let section = 0;
  const heading = (title: string) => `## ${++section}. ${title}`;
  const fileList = (paths: readonly string[]) =>
    paths.length ? paths.map((p) => `- \`${p}\``) : [`- ${t.formsPending}`];
  const lines: string[] = [
    `# ${t.title}: ${answers.institution.name} (CBE ${formatCbe(answers.institution.cbe)})`,
    '',
    t.intro(date, answers.environments.join(', '), answers.services.join(', ')),
    '',
    heading(t.firewall),
    '',
    `${t.firewallForm}:`,
    ...fileList(forms.firewall),
    '',
    t.firewallSign,
    `- ${t.sendTo}: ${r.firewall.to}`,
    `- ${t.cc}: ${r.firewall.cc}`,
    '',
    ...table(
      t.flowHeader,
      flows.map((f) => [
        String(f.row),
        f.environment,
        `${f.source.name} ${f.source.ips.join(', ')}${f.source.natIp ? ` (NAT ${f.source.natIp})` : ''}`,
        `${f.destination.name} ${f.destination.ip}:${f.destination.port}${f.destination.ipKnown ? '' : ` (${t.hostNoIp})`}`,
        f.protocol,
      ]),
    ),
    '',
    t.flowNote(answers.environments.map((e) => `${e.toUpperCase()}-CUSTOMER`).join(', ')),
    '',
  ];
  if (kit.length) {
    lines.push(
      heading(t.certificates),
      '',
      t.certificatesIntro,
      '',
      ...table(
        t.certHeader,
        kit.map((e) => [e.environment, t.purpose[e.purpose], `\`${e.subject}\``, `\`${e.csr}\``]),
      ),
      '',
      ...t.certSteps.map((s, i) => `${i + 1}. ${s}`),
      `${t.certSteps.length + 1}. ${t.certsTo} ${r.certificates.to}`,
      '',
      `**${t.neverSend}**`,
      '',
    );
  }
  if (answers.services.some((s) => s === 'rest' || s === 'oauth')) {
    lines.push(heading(t.oauth), '', ...t.oauthSteps(answers.oauth?.clientId), `- ${r.oauth.to}`, '');
  }
  if (answers.services.includes('ebox')) {
    const [forms1, csr] = t.eboxSteps;
    lines.push(heading(t.ebox), '', ...fileList(forms.ebox), '', `${forms1} ${r.ebox.to}`, '', `${csr}`, '');
  }
  lines.push(
    heading(t.config),
    '',
    ...t.configSteps.map((s) => `- ${s.replace('--env acpt', `--env ${doctorEnv}`)}`),
    '',
    `## ${t.files}`,
    '',
  );
  lines.push(...[...files].sort().map((f) => `- \`${f}\``), '');
  return lines.join('\n');
}
