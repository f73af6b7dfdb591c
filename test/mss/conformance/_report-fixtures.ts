/**
 * Run results built by hand for the report tests, each with its verdict from computeVerdict:
 * conformant and complete, non-conformant (blocking) with failures and evidence, incomplete,
 * non-WinAnsi text, a long transcript, and a run of another catalogue version.
 */
import {
  CATALOGUE,
  CATALOGUE_VERSION,
  type CaseResult,
  type CaseStatus,
  computeVerdict,
  type EvidenceLine,
  type RunResult,
} from '../../../src/mss/conformance/index.ts';

const XOAUTH2 = Buffer.from(
  'user=camille.martin@operateur.mssante.fr\x01auth=Bearer [redacted sha256:3f2a9c]\x01\x01',
).toString('base64');

function transcript(id: string): EvidenceLine[] {
  if (id.startsWith('smtp.'))
    return [
      { dir: 's', text: '220 mail.operateur.example ESMTP ready' },
      { dir: 'c', text: 'EHLO conformance.passerelle.test' },
      { dir: 's', text: '250-mail.operateur.example\n250-AUTH XOAUTH2 PLAIN\n250 8BITMIME' },
      { dir: 'note', text: `case ${id}: TLS 1.2, cipher ECDHE-RSA-AES256-GCM-SHA384` },
    ];
  return [
    { dir: 's', text: '* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2] ready' },
    { dir: 'c', text: `A01 AUTHENTICATE XOAUTH2 ${XOAUTH2}` },
    { dir: 's', text: 'A01 OK Logged in' },
    { dir: 'note', text: `case ${id}` },
  ];
}

export function result(
  caseId: string,
  status: CaseStatus,
  message?: string,
  evidence?: EvidenceLine[],
): CaseResult {
  return {
    caseId,
    status,
    durationMs: 12.5 + caseId.length,
    evidence: evidence ?? (status === 'skipped' ? [] : transcript(caseId)),
    message: message ?? `${caseId}: ${status}`,
  };
}

/** A run of the whole catalogue whose results are `results` (cases left out have no result). */
export function runOf(results: CaseResult[], edit: Partial<RunResult> = {}): RunResult {
  return {
    schemaVersion: 1,
    runId: 'run-20261203-0001',
    operator: { name: 'Opérateur Santé Test' },
    target: {
      host: 'mail.operateur.example',
      imap: { port: 993, tls: 'implicit' },
      smtp: { port: 587, tls: 'starttls' },
      mailbox: 'camille.martin@operateur.mssante.fr',
      idNat: '810000000001',
      clientCertificate: {
        subject: 'CN=Camille Martin,OU=810000000001,O=Cabinet Test,C=FR',
        sha256: 'a3'.repeat(32),
      },
    },
    startedAt: '2026-12-03T08:00:00.000Z',
    finishedAt: '2026-12-03T08:00:41.250Z',
    catalogueVersion: CATALOGUE_VERSION,
    selection: CATALOGUE.map((c) => c.id),
    results,
    verdict: computeVerdict(CATALOGUE, results),
    ...edit,
  };
}

export function conformantRun(): RunResult {
  return runOf(
    CATALOGUE.map((c) =>
      result(c.id, c.id === 'both.no-auth-before-tls' ? 'not-applicable' : 'passed', 'observed as required'),
    ),
  );
}

export const FAILED: Readonly<Record<string, CaseStatus>> = {
  'both.foreign-issuer-token-refused': 'failed',
  'both.other-professional-token-refused': 'error',
  'imap.tls10-refused': 'failed',
  'both.rfc7628-failure-exchange': 'failed',
};

export function blockingRun(): RunResult {
  return runOf(
    CATALOGUE.map((c) => {
      const status = FAILED[c.id] ?? 'passed';
      if (c.id === 'both.foreign-issuer-token-refused')
        return result(c.id, status, 'token of another issuer accepted: <script>alert("x")</script> & more', [
          { dir: 'c', text: `A07 AUTHENTICATE XOAUTH2 ${XOAUTH2}` },
          { dir: 's', text: 'A07 OK Logged in <b>as camille</b>' },
          { dir: 'note', text: 'expected NO after the RFC 7628 challenge; the session opened' },
        ]);
      return result(c.id, status);
    }),
  );
}

/** Conformant on what ran, but a blocking case is missing and major ones were skipped. */
export function incompleteRun(): RunResult {
  const results = CATALOGUE.filter((c) => c.id !== 'both.smtp-imap-round-trip').map((c) =>
    c.id === 'imap.tls10-refused' || c.id === 'both.client-certificate-accepted'
      ? result(c.id, 'skipped', 'not selected')
      : c.dependsOn.includes('both.client-certificate-accepted')
        ? result(c.id, 'skipped', 'dependency not passed')
        : result(c.id, 'passed'),
  );
  return runOf(results);
}

export const UNICODE = 'Zoë ✓ 𝄞 中文';

export function unicodeRun(): RunResult {
  return runOf(
    CATALOGUE.map((c) =>
      c.id === 'imap.psc-token-accepted'
        ? result(c.id, 'failed', `${UNICODE} — refused ‘A01 NO’ → ok?\u202e`, [
            { dir: 'c', text: `A01 LOGIN "${UNICODE}"\ttab\x01ctl` },
            { dir: 's', text: `A01 NO [AUTHENTICATIONFAILED] ${UNICODE} 🙂 Łódź ő` },
          ])
        : result(c.id, 'passed'),
    ),
    { operator: { name: `Opérateur ${UNICODE}` } },
  );
}

/** One case with `lines` transcript lines (some of them long): forces page breaks. */
export function longRun(lines = 400): RunResult {
  const evidence: EvidenceLine[] = Array.from({ length: lines }, (_, i) => ({
    dir: i % 3 === 0 ? 'c' : i % 3 === 1 ? 's' : 'note',
    text:
      i % 25 === 0
        ? `* ${i} FETCH (BODY[] {4096}) ${'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo'.repeat(12)}`
        : `* ${i} FETCH (FLAGS (\\Seen) UID ${1000 + i})`,
  }));
  return runOf(
    CATALOGUE.map((c) =>
      c.id === 'both.smtp-imap-round-trip'
        ? result(c.id, 'failed', 'message not found in INBOX after 30 s', evidence)
        : result(c.id, 'passed'),
    ),
  );
}

/** A run of another catalogue version: case ids unknown here. */
export function otherCatalogueRun(): RunResult {
  const results = [result('imap.legacy-case', 'failed'), result('imap.tls12-accepted', 'passed')];
  return {
    ...runOf([]),
    catalogueVersion: '2025.06-3',
    selection: ['imap.legacy-case', 'imap.tls12-accepted'],
    results,
    verdict: {
      level: 'non-conformant-major',
      incomplete: false,
      failures: [{ caseId: 'imap.legacy-case', severity: 'major', status: 'failed' }],
      notRun: [],
    },
  };
}

/** Through JSON and back, as a report renderer would get it from run.json. */
export const viaJson = (run: RunResult): RunResult => JSON.parse(JSON.stringify(run)) as RunResult;
