import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CATALOGUE,
  type CaseResult,
  type CaseStatus,
  type ConformanceCase,
  computeVerdict,
  summarise,
} from '../../../src/mss/conformance/index.ts';

const cat: ConformanceCase[] = [
  { id: 'x.base', severity: 'blocking', dependsOn: [] },
  { id: 'x.block', severity: 'blocking', dependsOn: ['x.base'] },
  { id: 'x.major', severity: 'major', dependsOn: ['x.base'] },
  { id: 'x.minor', severity: 'minor', dependsOn: [] },
  { id: 'x.info', severity: 'informational', dependsOn: [] },
].map((c) => ({
  ...c,
  protocol: 'both',
  requirement: 'r (seed 004).',
  rationale: 'r',
  accessMode: 'any',
})) as ConformanceCase[];

const r = (caseId: string, status: CaseStatus): CaseResult => ({
  caseId,
  status,
  durationMs: 1,
  evidence: [],
  message: status,
});
const all = (over: Record<string, CaseStatus> = {}) => cat.map((c) => r(c.id, over[c.id] ?? 'passed'));

test('verdict: all passed is conformant and complete', () => {
  assert.deepEqual(computeVerdict(cat, all()), {
    level: 'conformant',
    incomplete: false,
    failures: [],
    notRun: [],
  });
});

test('verdict table: blocking beats major beats conformant; minor and informational never count', () => {
  const rows: [Record<string, CaseStatus>, string][] = [
    [{ 'x.minor': 'failed', 'x.info': 'failed' }, 'conformant'],
    [{ 'x.major': 'failed' }, 'non-conformant-major'],
    [{ 'x.major': 'failed', 'x.minor': 'failed' }, 'non-conformant-major'],
    [{ 'x.block': 'failed' }, 'non-conformant-blocking'],
    [{ 'x.block': 'failed', 'x.major': 'failed' }, 'non-conformant-blocking'],
    [{ 'x.major': 'error' }, 'non-conformant-major'],
    [{ 'x.block': 'error' }, 'non-conformant-blocking'],
    [{ 'x.info': 'error', 'x.minor': 'error' }, 'conformant'],
    [{ 'x.major': 'not-applicable' }, 'conformant'],
  ];
  for (const [over, level] of rows)
    assert.equal(computeVerdict(cat, all(over)).level, level, JSON.stringify(over));
});

test('verdict: an error is listed as a failure with its status', () => {
  const v = computeVerdict(cat, all({ 'x.block': 'error', 'x.minor': 'failed' }));
  assert.deepEqual(v.failures, [
    { caseId: 'x.block', severity: 'blocking', status: 'error' },
    { caseId: 'x.minor', severity: 'minor', status: 'failed' },
  ]);
  assert.equal(v.incomplete, false);
});

test('verdict: a missing blocking case makes the run incomplete, never silently conformant', () => {
  const v = computeVerdict(
    cat,
    all().filter((x) => x.caseId !== 'x.block'),
  );
  assert.equal(v.level, 'conformant');
  assert.equal(v.incomplete, true);
  assert.deepEqual(v.notRun, [{ caseId: 'x.block', severity: 'blocking', reason: 'missing', blockedBy: [] }]);
});

test('verdict: cases skipped after a failed dependency are listed with what blocked them', () => {
  const v = computeVerdict(cat, all({ 'x.base': 'failed', 'x.block': 'skipped', 'x.major': 'skipped' }));
  assert.equal(v.level, 'non-conformant-blocking');
  assert.equal(v.incomplete, true);
  assert.deepEqual(v.notRun, [
    { caseId: 'x.block', severity: 'blocking', reason: 'dependency-not-passed', blockedBy: ['x.base'] },
    { caseId: 'x.major', severity: 'major', reason: 'dependency-not-passed', blockedBy: ['x.base'] },
  ]);
});

test('verdict: a major case skipped by selection is incomplete; skipped minor/informational are not', () => {
  assert.deepEqual(computeVerdict(cat, all({ 'x.major': 'skipped' })).notRun, [
    { caseId: 'x.major', severity: 'major', reason: 'skipped', blockedBy: [] },
  ]);
  const v = computeVerdict(cat, all({ 'x.minor': 'skipped', 'x.info': 'skipped' }));
  assert.equal(v.incomplete, false);
  assert.equal(v.level, 'conformant');
});

test('verdict: results for unknown cases or twice for one case are the caller’s error (TypeError)', () => {
  assert.throws(() => computeVerdict(cat, [...all(), r('x.nope', 'passed')]), {
    name: 'TypeError',
    message: 'result for a case not in the catalogue: x.nope',
  });
  assert.throws(() => computeVerdict(cat, [...all(), r('x.base', 'failed')]), {
    name: 'TypeError',
    message: 'two results for case x.base',
  });
  assert.throws(() => summarise(cat, [r('x.nope', 'passed')]), TypeError);
});

test('summarise: counts per severity and status, missing included', () => {
  const s = summarise(cat, all({ 'x.block': 'failed', 'x.major': 'error', 'x.info': 'skipped' }).slice(0, 4));
  assert.deepEqual(s.total, { passed: 2, failed: 1, error: 1, skipped: 0, 'not-applicable': 0, missing: 1 });
  assert.deepEqual(s.bySeverity.blocking, {
    passed: 1,
    failed: 1,
    error: 0,
    skipped: 0,
    'not-applicable': 0,
    missing: 0,
  });
  assert.equal(s.bySeverity.informational.missing, 1);
  assert.equal(s.bySeverity.major.error, 1);
});

test('verdict: the real catalogue, all passed but the TLS 1.0 refusal → major; an expired token accepted → blocking', () => {
  const base = CATALOGUE.map((c) => r(c.id, 'passed'));
  const set = (id: string, s: CaseStatus) => base.map((x) => (x.caseId === id ? r(id, s) : x));
  assert.equal(computeVerdict(CATALOGUE, set('imap.tls10-refused', 'failed')).level, 'non-conformant-major');
  assert.equal(
    computeVerdict(CATALOGUE, set('both.expired-token-refused', 'failed')).level,
    'non-conformant-blocking',
  );
  assert.equal(computeVerdict(CATALOGUE, set('both.session-idle-timeout', 'failed')).level, 'conformant');
});
