import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseSubmissionFileName,
  SUBMISSION_KINDS,
  type SubmissionKey,
  submissionDate,
  submissionFileName,
  validateSubmissionKey,
} from '../../src/sftp/names.ts';
import { parseReplyFileName, replyFileName } from '../../src/sftp/reply-names.ts';
import { throwsCode } from '../_support/assert-code.ts';

const KEY: SubmissionKey = {
  app: 'DMFA',
  sender: '999999',
  date: '20260615',
  sequence: '00001',
  environment: 'R',
};

/** The part named by an ERR_SFTP_NAME_INVALID thrown by fn. */
function wrongPart(fn: () => unknown): unknown {
  throwsCode(fn, 'ERR_SFTP_NAME_INVALID');
  try {
    fn();
  } catch (e) {
    return (e as { details: { part: string } }).details.part;
  }
  return undefined;
}

describe('submission file names', () => {
  it('builds the four names of a submission (socialsecurity.be naming)', () => {
    assert.equal(submissionFileName('FI', KEY), 'FI.DMFA.999999.20260615.00001.R.1.1');
    assert.equal(submissionFileName('FS', KEY), 'FS.DMFA.999999.20260615.00001.R.1.1');
    assert.equal(submissionFileName('GO', KEY), 'GO.DMFA.999999.20260615.00001.R.1');
    assert.equal(submissionFileName('TD', { ...KEY, environment: 'T' }), 'TD.DMFA.999999.20260615.00001.T.1');
  });

  it('parses every kind back to the same key', () => {
    for (const kind of SUBMISSION_KINDS) {
      const name = submissionFileName(kind, KEY);
      assert.deepEqual(parseSubmissionFileName(name), { kind, key: KEY });
    }
    const other = {
      app: 'WECH',
      sender: 'AB12',
      date: '20240229',
      sequence: 'a1B2c',
      environment: 'T',
    } as const;
    assert.deepEqual(parseSubmissionFileName(submissionFileName('FI', other)).key, other);
  });

  it('names the wrong field of a key', () => {
    assert.equal(
      wrongPart(() => validateSubmissionKey({ ...KEY, app: 'dmfa' })),
      'app',
    );
    assert.equal(
      wrongPart(() => validateSubmissionKey({ ...KEY, app: 'DMF' })),
      'app',
    );
    assert.equal(
      wrongPart(() => validateSubmissionKey({ ...KEY, sender: '' })),
      'sender',
    );
    assert.equal(
      wrongPart(() => validateSubmissionKey({ ...KEY, sender: '1234567890123' })),
      'sender',
    );
    assert.equal(
      wrongPart(() => validateSubmissionKey({ ...KEY, date: '20260230' })),
      'date',
    );
    assert.equal(
      wrongPart(() => validateSubmissionKey({ ...KEY, date: '20250229' })),
      'date',
    );
    assert.equal(
      wrongPart(() => validateSubmissionKey({ ...KEY, date: '2026-06-1' })),
      'date',
    );
    assert.equal(
      wrongPart(() => validateSubmissionKey({ ...KEY, sequence: '0001' })),
      'sequence',
    );
    assert.equal(
      wrongPart(() => validateSubmissionKey({ ...KEY, environment: 'P' as 'R' })),
      'environment',
    );
    assert.equal(
      wrongPart(() => submissionFileName('FI', { ...KEY, sequence: '0000/' })),
      'sequence',
    );
  });

  it('refuses names with the wrong kind, part or suffix, naming the part', () => {
    const cases: [string, string][] = [
      ['XX.DMFA.999999.20260615.00001.R.1.1', 'kind'],
      ['fi.DMFA.999999.20260615.00001.R.1.1', 'kind'],
      ['FI.DMF.999999.20260615.00001.R.1.1', 'app'],
      ['FI.DMFA.9999999999999.20260615.00001.R.1.1', 'sender'],
      ['FI.DMFA.999999.20261315.00001.R.1.1', 'date'],
      ['FI.DMFA.999999.20260615.0001.R.1.1', 'sequence'],
      ['FI.DMFA.999999.20260615.00001.X.1.1', 'environment'],
      ['FI.DMFA.999999.20260615.00001.R.1', 'suffix'],
      ['FI.DMFA.999999.20260615.00001.R', 'suffix'],
      ['GO.DMFA.999999.20260615.00001.R.1.1', 'suffix'],
      ['FS.DMFA.999999.20260615.00001.R.1.1.gz', 'suffix'],
      ['', 'kind'],
    ];
    for (const [name, part] of cases)
      assert.equal(
        wrongPart(() => parseSubmissionFileName(name)),
        part,
        name,
      );
  });

  it('never accepts or builds a name with a path separator, .., NUL, space or control character', () => {
    const hostile = [
      'FI.DMFA.999999.20260615.00001.R.1.1/../../etc/passwd',
      '../FI.DMFA.999999.20260615.00001.R.1.1',
      'FI.DMFA.../...20260615.00001.R.1.1',
      'FI.DMFA.99/999.20260615.00001.R.1.1',
      'FI.DMFA.99\\999.20260615.00001.R.1.1',
      'FI.DMFA.999999.20260615.0000\0.R.1.1',
      'FI.DMFA.999999.20260615.00001.R.1.1\0',
      'FI.DMFA.999 99.20260615.00001.R.1.1',
      'FI.DMFA.999999.20260615.00001.R.1.1\n',
      'FI.DMFA.999999.20260615.00001.R..1.1',
      `FI.DMFA.999999.20260615.00001.R.1.1${'x'.repeat(10_000)}`,
    ];
    for (const name of hostile) throwsCode(() => parseSubmissionFileName(name), 'ERR_SFTP_NAME_INVALID');
    for (const bad of ['..', '/', 'a/b', '\0', 'a b', 'é']) {
      throwsCode(() => submissionFileName('FI', { ...KEY, sender: bad }), 'ERR_SFTP_NAME_INVALID');
      throwsCode(
        () => submissionFileName('FI', { ...KEY, sequence: `${bad}xxxx`.slice(0, 5) }),
        'ERR_SFTP_NAME_INVALID',
      );
    }
  });

  it('shows a hostile name escaped and cut short in the error', () => {
    try {
      parseSubmissionFileName(`FI.\u001b[2J${'A'.repeat(500)}`);
      assert.fail('no error');
    } catch (e) {
      const { message, details } = e as { message: string; details: { name: string } };
      assert.ok(!message.includes('\u001b'));
      assert.ok(details.name.includes('\\u001b'));
      assert.ok(details.name.length < 140);
    }
  });

  it('rejects an unknown kind as a programming error', () => {
    assert.throws(() => submissionFileName('XX' as 'FI', KEY), TypeError);
  });
});

describe('submissionDate', () => {
  it('is the Europe/Brussels calendar date of the instant', () => {
    assert.equal(submissionDate(new Date('2026-06-15T10:00:00Z')), '20260615');
    // CEST (UTC+2): 22:30Z is already the next day in Brussels
    assert.equal(submissionDate(new Date('2026-06-14T22:30:00Z')), '20260615');
    assert.equal(submissionDate(new Date('2026-06-14T21:59:59Z')), '20260614');
    // CET (UTC+1) in winter, across a year end
    assert.equal(submissionDate(new Date('2025-12-31T23:00:00Z')), '20260101');
    assert.equal(submissionDate(new Date('2025-12-31T22:59:59Z')), '20251231');
    assert.throws(() => submissionDate(new Date('nope')), TypeError);
  });
});

describe('reply file names', () => {
  it('parses the documented example FO.ACRF.999999.20140628.00001.R', () => {
    assert.deepEqual(parseReplyFileName('FO.ACRF.999999.20140628.00001.R'), {
      kind: 'FO',
      type: 'ACRF',
      sender: '999999',
      date: '20140628',
      sequence: '00001',
      environment: 'R',
      name: 'FO.ACRF.999999.20140628.00001.R',
    });
  });

  it('accepts compressed replies and extra parts', () => {
    const r = parseReplyFileName('CO.NOTI.999999.20260615.A0001.T.1.gz');
    assert.equal(r?.kind, 'CO');
    assert.equal(r?.type, 'NOTI');
    assert.equal(r?.environment, 'T');
  });

  it('is undefined for names that are not replies', () => {
    for (const name of [
      'FI.DMFA.999999.20260615.00001.R.1.1',
      'FO.ACRF.999999.20140628.00001',
      'FO.ACRF.999999.20140631.00001.R',
      'FO.acrf.999999.20140628.00001.R',
      'FO.ACRF.999999.20140628.00001.R.',
      'FO.ACRF.999999.20140628.00001.R/../x',
      'FO.ACRF.999999.20140628.00001.R.a b',
      'FO.ACRF.999999.20140628.00001.R\0',
      '.FO.ACRF.999999.20140628.00001.R',
      'README',
    ])
      assert.equal(parseReplyFileName(name), undefined, name);
  });

  it('builds the reply name of a submission, parsed back', () => {
    const name = replyFileName('ACRF', KEY);
    assert.equal(name, 'FO.ACRF.999999.20260615.00001.R');
    assert.equal(parseReplyFileName(name)?.sequence, '00001');
    throwsCode(() => replyFileName('acrf', KEY), 'ERR_SFTP_NAME_INVALID');
    throwsCode(() => replyFileName('AC/RF', KEY), 'ERR_SFTP_NAME_INVALID');
    throwsCode(() => replyFileName('ACRF', { ...KEY, sender: '../x' }), 'ERR_SFTP_NAME_INVALID');
  });
});
