import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CATALOGUE,
  CATALOGUE_VERSION,
  type CaseResult,
  computeVerdict,
  RUN_RESULT_SCHEMA,
  type RunResult,
  redactTranscript,
  validateRunResult,
} from '../../../src/mss/conformance/index.ts';
import { DEBIAN_PYTHON, requirePeer, runPeer } from '../../_support/peers.ts';

const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJwcmVmZXJyZWRfdXNlcm5hbWUiOiI4MTAwMDAwMDAwMDEifQ.c2lnbmF0dXJlLWJ5dGVz';

function validRun(): RunResult {
  const results: CaseResult[] = CATALOGUE.map((c) => ({
    caseId: c.id,
    status: c.id === 'imap.tls10-refused' ? 'failed' : 'passed',
    durationMs: 12.5,
    evidence: redactTranscript([
      {
        dir: 'c',
        text: `A01 AUTHENTICATE XOAUTH2 ${Buffer.from(`user=a@b.fr\x01auth=Bearer ${JWT}\x01\x01`).toString('base64')}`,
      },
      { dir: 's', text: 'A01 OK Logged in' },
    ]),
    message: 'observed',
  }));
  return {
    schemaVersion: 1,
    runId: 'run-20261203-0001',
    operator: { name: 'Opérateur Test' },
    target: {
      host: 'mail.operateur.example',
      imap: { port: 993, tls: 'implicit' },
      smtp: { port: 587, tls: 'starttls' },
      mailbox: 'camille.martin@operateur.mssante.fr',
      idNat: '810000000001',
    },
    startedAt: '2026-12-03T08:00:00.000Z',
    finishedAt: '2026-12-03T08:00:41.250Z',
    catalogueVersion: CATALOGUE_VERSION,
    selection: CATALOGUE.map((c) => c.id),
    results,
    verdict: computeVerdict(CATALOGUE, results),
  };
}

/** The same instance through JSON, edited by `edit`. */
// biome-ignore lint/suspicious/noExplicitAny: the tests break parsed JSON in place, any path
function variant(edit: (run: Record<string, any>) => void): unknown {
  const run = JSON.parse(JSON.stringify(validRun()));
  edit(run);
  return run;
}

const NEGATIVES: [string, unknown, string[]][] = [
  ['missing verdict', variant((r) => delete r.verdict), ["/: must have required property 'verdict'"]],
  [
    'unknown status',
    variant((r) => {
      r.results[0].status = 'timeout';
    }),
    ['/results/0/status: must be equal to one of the allowed values'],
  ],
  [
    'a token field in the target',
    variant((r) => {
      r.target.token = JWT;
    }),
    ['/target: must NOT have additional properties (token)'],
  ],
  [
    'an unredacted bearer token in the evidence',
    variant((r) => {
      r.results[1].evidence[0].text = `Authorization: Bearer ${JWT}`;
    }),
    ['/results/1/evidence/0/text: must NOT be valid'],
  ],
  [
    'a JWT in a message',
    variant((r) => {
      r.results[2].message = `token ${JWT} refused`;
    }),
    ['/results/2/message: must NOT be valid'],
  ],
  [
    'a local time instead of UTC',
    variant((r) => {
      r.startedAt = '2026-12-03T09:00:00+01:00';
    }),
    ['/startedAt: must match pattern "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z$"'],
  ],
];

test('report schema: a valid run result passes', () => {
  assert.deepEqual(validateRunResult(JSON.parse(JSON.stringify(validRun()))), []);
  assert.equal(validRun().verdict.level, 'non-conformant-major');
  // Dovecot's capability line names OAUTHBEARER: a mechanism, not a bearer value.
  const capability = variant((r) => {
    r.results[1].evidence[0].text =
      '* CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2 AUTH=OAUTHBEARER AUTH=EXTERNAL';
  });
  assert.deepEqual(validateRunResult(capability), []);
  const applicative = variant((r) => {
    r.target.clientCertificate = { subject: 'CN=app', sha256: 'a'.repeat(64), mailbox: 'app@mss.example.fr' };
  });
  assert.deepEqual(validateRunResult(applicative), []);
});

test('report schema: invalid run results are rejected with the exact issue', () => {
  for (const [name, instance, issues] of NEGATIVES)
    assert.deepEqual(validateRunResult(instance), issues, name);
});

test('report schema: a verdict that does not follow from the results is rejected', () => {
  const run = variant((r) => {
    r.verdict.level = 'conformant';
  });
  assert.deepEqual(validateRunResult(run), ['/verdict: does not follow from the results']);
  const moved = variant((r) => {
    r.finishedAt = '2026-12-03T07:59:59Z';
  });
  assert.deepEqual(validateRunResult(moved), ['/finishedAt: before startedAt']);
  const outside = variant((r) => {
    r.selection = r.selection.filter((id: string) => id !== 'imap.tls10-refused');
  });
  assert.deepEqual(validateRunResult(outside), ['/results: cases outside the selection imap.tls10-refused']);
  const unknown = variant((r) => {
    r.selection.push('imap.no-such-case');
  });
  assert.deepEqual(validateRunResult(unknown), ['/selection: unknown case ids imap.no-such-case']);
});

test('report schema: a run on another catalogue version is checked by the schema only', () => {
  const run = variant((r) => {
    r.catalogueVersion = '2025.01-1';
    r.verdict.level = 'conformant';
  });
  assert.deepEqual(validateRunResult(run), []);
});

const PY = `
import json, sys
import jsonschema
data = json.load(sys.stdin)
V = jsonschema.Draft202012Validator
V.check_schema(data['schema'])
v = V(data['schema'])
json.dump([sorted('/' + '/'.join(map(str, e.absolute_path)) + ' ' + e.validator for e in v.iter_errors(i)) for i in data['instances']], sys.stdout)
`;

test('report schema: Python jsonschema (independent peer) agrees on the valid and invalid instances', (t) => {
  if (!requirePeer(t, 'python3-jsonschema')) return;
  const instances = [JSON.parse(JSON.stringify(validRun())), ...NEGATIVES.map((n) => n[1])];
  const r = runPeer(
    DEBIAN_PYTHON,
    ['-W', 'ignore', '-c', PY],
    JSON.stringify({ schema: RUN_RESULT_SCHEMA, instances }),
  );
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [
    [],
    ['/ required'],
    ['/results/0/status enum'],
    ['/target additionalProperties'],
    ['/results/1/evidence/0/text not'],
    ['/results/2/message not'],
    ['/startedAt pattern'],
  ]);
});
