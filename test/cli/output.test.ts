import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emit, emitFailure, isoTime, reportError } from '../../src/cli/output.ts';
import * as errors from '../../src/errors.ts';
import { _problemError } from '../../src/rest/_problem.ts';
import { captureIo } from '../_support/tmp.ts';

const ALL_CODES = Object.entries(errors)
  .filter(([name, value]) => name.endsWith('_CODES') && Array.isArray(value))
  .flatMap(([, value]) => value as readonly errors.ErrorCode[]);

test('emit: --json prints one object { ok: true, ...result }; the human text otherwise', () => {
  const json = captureIo();
  emit(json.io, true, { a: 1, list: ['x'] }, () => 'human');
  assert.deepEqual(JSON.parse(json.stdout), { ok: true, a: 1, list: ['x'] });
  const human = captureIo();
  emit(human.io, false, { a: 1 }, () => 'human');
  assert.equal(human.stdout, 'human');
});

test('emitFailure: { ok: false, ...result, error: { code, message, hint, details } }, exit 1', () => {
  const cap = captureIo();
  const error = new errors.PasserelleError('ERR_PKI_CHECK_FAILED', 'fails 1 check(s)', {
    details: { errors: 1 },
  });
  assert.equal(
    emitFailure(cap.io, true, { findings: [] }, error, () => ''),
    1,
  );
  assert.deepEqual(JSON.parse(cap.stdout), {
    ok: false,
    findings: [],
    error: {
      code: 'ERR_PKI_CHECK_FAILED',
      message: 'fails 1 check(s)',
      hint: errors.DEFAULT_HINTS.ERR_PKI_CHECK_FAILED,
      details: { errors: 1 },
    },
  });
});

test('reportError: for every code, --json carries code, message, a hint and details; the human form a hint line', () => {
  for (const code of ALL_CODES) {
    const json = captureIo();
    const status = reportError(json.io, new errors.PasserelleError(code, `failed with ${code}`), {
      json: true,
      debug: false,
    });
    const printed = JSON.parse(json.stdout);
    assert.equal(printed.ok, false);
    assert.deepEqual(Object.keys(printed.error).sort(), ['code', 'details', 'hint', 'message']);
    assert.equal(printed.error.code, code);
    assert.ok(printed.error.hint.length > 0, code);
    assert.equal(status, code.startsWith('ERR_USAGE') || code === 'ERR_CONFIG_UNKNOWN_ENV' ? 2 : 1);
    const human = captureIo();
    reportError(human.io, new errors.PasserelleError(code, 'x'), { json: false, debug: false });
    assert.match(human.stderr, new RegExp(`^passerelle: ${code}: x\\n {2}→ .+$`));
  }
});

test('reportError: a REST problem shows its detail in human mode, sanitised by the REST client', () => {
  const body = Buffer.from(
    JSON.stringify({
      title: 'Unprocessable',
      detail: 'birthDate\u001b[2J must be a date',
      instance: '/v1/x/42',
    }),
  );
  const cap = captureIo();
  assert.equal(
    reportError(cap.io, _problemError(422, {}, body, { host: 'h', api: 'demo' }), {
      json: false,
      debug: false,
    }),
    1,
  );
  assert.equal(
    cap.stderr,
    [
      'passerelle: ERR_REST_PROBLEM: The demo API answered 422 Unprocessable',
      '  detail: birthDate [2J must be a date',
      '  instance: /v1/x/42',
      `  → ${errors.DEFAULT_HINTS.ERR_REST_PROBLEM}`,
    ].join('\n'),
  );
});

test('isoTime: a platform xs:dateTime (any offset) as ISO 8601 UTC; other text as it came', () => {
  assert.equal(isoTime('2026-06-15T12:00:00+02:00'), '2026-06-15T10:00:00.000Z');
  assert.equal(isoTime('2026-06-15T10:00:00.123456Z'), '2026-06-15T10:00:00.123Z');
  assert.equal(isoTime('yesterday'), 'yesterday');
  assert.equal(isoTime(undefined), undefined);
});
