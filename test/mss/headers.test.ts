import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkExtraHeaders, mssHeaders } from '../../src/mss/headers.ts';
import { throwsCode } from '../_support/assert-code.ts';

test('headers: X-MSS-NIL always; CODECDA and INS only with CDA; MES: FIN when asked', () => {
  assert.deepEqual(mssHeaders({ nil: 'NIL-1' }), { 'X-MSS-NIL': 'NIL-1' });
  assert.deepEqual(mssHeaders({ nil: 'NIL-1', cda: [], fin: true }), {
    'X-MSS-NIL': 'NIL-1',
    'X-MSS-MES': 'FIN',
  });
  assert.deepEqual(
    mssHeaders({
      nil: 'NIL-1',
      cda: [
        { code: '11488-4', ins: true },
        { code: '34133-9', ins: true },
        { code: '11488-4', ins: true },
      ],
    }),
    { 'X-MSS-NIL': 'NIL-1', 'X-MSS-CODECDA': '11488-4,34133-9', 'X-MSS-INS': 'O' },
  );
  assert.equal(
    mssHeaders({
      nil: 'N',
      cda: [
        { code: '11488-4', ins: true },
        { code: '34133-9', ins: false },
      ],
    })['X-MSS-INS'],
    'N',
  );
});

test('headers: no CR/LF or spaces in values (no header injection)', () => {
  throwsCode(() => mssHeaders({ nil: 'A\r\nBcc: x@y.fr' }), 'ERR_USAGE');
  throwsCode(() => mssHeaders({ nil: '' }), 'ERR_USAGE');
  throwsCode(() => mssHeaders({ nil: 'A', cda: [{ code: '1\r\nX: y', ins: true }] }), 'ERR_MSS_CDA_INVALID');
  throwsCode(() => checkExtraHeaders({ 'X-A': 'v\nBcc: x@y.fr' }), 'ERR_USAGE');
  throwsCode(() => checkExtraHeaders({ 'Bad Name': 'v' }), 'ERR_USAGE');
  throwsCode(() => checkExtraHeaders({ 'x-mss-nil': 'v' }), 'ERR_USAGE');
  throwsCode(() => checkExtraHeaders({ From: 'a@b.fr' }), 'ERR_USAGE');
  assert.deepEqual(checkExtraHeaders({ 'X-Ref': 'dossier 42' }), { 'X-Ref': 'dossier 42' });
});
