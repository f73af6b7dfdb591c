import { spawnSync } from 'node:child_process';
import { sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrozenClock } from '../src/clock.ts';
import type { Credential } from '../src/pki/credential.ts';
import { signEnvelope, verifyEnvelope } from '../src/wss/index.ts';
import { TEST_NOW, testPki } from '../test/_support/credentials.ts';
import { type Bench, compareRates } from './_measure.ts';

/** Alternating rounds of ours and the baseline (compareRates' default). */
const ROUNDS = 7;

const PYTHON = '/usr/bin/python3';
const ZEEP = new URL('../test/vectors/wss/zeep_sign.py', import.meta.url).pathname;

/** A KSZ-like request whose signed form is about 7 KB. */
function envelope(rows: number): string {
  let items = '';
  for (let i = 0; i < rows; i++) {
    items += `<v1:person><v1:ssin>8501010010${i % 10}</v1:ssin><v1:name lang="fr">Dupont &amp; fils ${i}</v1:name><v1:birthDate>1985-01-0${1 + (i % 9)}</v1:birthDate></v1:person>`;
  }
  return `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:v1="urn:be:fgov:test:v1"><soapenv:Header/><soapenv:Body><v1:request><v1:informationCustomer><v1:ticket>b1b7c4e6-1f0e-4a53-9d4a-6f1c2b7e9a10</v1:ticket><v1:timestampSent>2026-06-15T12:00:00.000+02:00</v1:timestampSent></v1:informationCustomer>${items}</v1:request></soapenv:Body></soapenv:Envelope>`;
}

function zeepRate(credential: Credential, input: string, n: number): number | string {
  const probe = spawnSync(PYTHON, ['-c', 'import zeep.wsse.signature'], { encoding: 'utf8' });
  if (probe.status !== 0) return 'python3-zeep not installed';
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-bench-'));
  try {
    writeFileSync(join(dir, 'key.pem'), credential.keyPem);
    writeFileSync(join(dir, 'cert.pem'), credential.certificate.toString());
    const created = new Date(TEST_NOW).toISOString();
    const expires = new Date(TEST_NOW + 300_000).toISOString();
    const kind = credential.keyKind;
    const r = spawnSync(
      PYTHON,
      [ZEEP, join(dir, 'key.pem'), join(dir, 'cert.pem'), kind, created, expires, '--bench', String(n)],
      { input, encoding: 'utf8' },
    );
    if (r.status !== 0) return `zeep failed: ${r.stderr.trim().split('\n').at(-1)}`;
    const [count, seconds] = r.stdout.trim().split(' ').map(Number);
    return count! / seconds!;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const bench: Bench = {
  name: 'wss',
  description: 'WS-Security X.509 sign/verify of a ~7 KB envelope vs raw node:crypto and zeep',
  async run(report) {
    const pki = await testPki();
    const clock = new FrozenClock(TEST_NOW);
    const input = envelope(20);
    for (const [label, credential] of [
      ['RSA-2048', pki.rsa],
      ['P-256', pki.ec],
    ] as const) {
      const signed = signEnvelope(input, { credential, clock });
      report.line(`${label}: signed envelope ${(Buffer.byteLength(signed) / 1024).toFixed(1)} KB`);
      const trust = [pki.ca.certificate];
      const data = Buffer.alloc(1200, 0x61);
      const keyOpt =
        credential.keyKind === 'ec'
          ? { key: credential.privateKey, dsaEncoding: 'ieee-p1363' as const }
          : credential.privateKey;
      const pubOpt =
        credential.keyKind === 'ec'
          ? { key: credential.certificate.publicKey, dsaEncoding: 'ieee-p1363' as const }
          : credential.certificate.publicKey;
      const sig = sign('sha256', data, keyOpt);
      const signing = compareRates(
        () => signEnvelope(input, { credential, clock }),
        () => sign('sha256', data, keyOpt),
      );
      const verifying = compareRates(
        () => verifyEnvelope(signed, { trust, clock }),
        () => verify('sha256', data, pubOpt, sig),
      );
      const [signRate, rawSign, verifyRate, rawVerify] = [
        signing.ours,
        signing.baseline,
        verifying.ours,
        verifying.baseline,
      ];
      const zeep = zeepRate(credential, input, credential.keyKind === 'rsa' ? 400 : 800);
      report.rate(
        `${label} signEnvelope`,
        signRate,
        `(${(signing.ratio * 100).toFixed(0)}% of raw crypto.sign, median of ${ROUNDS} alternating rounds)`,
      );
      report.rate(`${label} raw crypto.sign`, rawSign);
      report.rate(
        `${label} verifyEnvelope (chain + 3 digests)`,
        verifyRate,
        `(${(verifying.ratio * 100).toFixed(0)}% of raw crypto.verify)`,
      );
      report.rate(`${label} raw crypto.verify`, rawVerify);
      if (typeof zeep === 'number')
        report.rate(
          `${label} zeep BinarySignature sign`,
          zeep,
          `(ours ${(signRate / zeep).toFixed(1)}× zeep)`,
        );
      else report.line(`${label} zeep: ${zeep}`);
      const nonCrypto = (ours: number, raw: number) => `${(1e6 / ours - 1e6 / raw).toFixed(0)} µs`;
      report.line(
        `${label} non-crypto work per envelope (1e6/ours − 1e6/raw): sign ${nonCrypto(signRate, rawSign)}, verify ${nonCrypto(verifyRate, rawVerify)}`,
      );
      const ok = (b: boolean) => (b ? 'met' : 'MISSED');
      if (label === 'RSA-2048') {
        report.line(
          `targets: sign ≥ 0.6× raw sign: ${ok(signing.ratio >= 0.6)}; verify ≥ 0.25× raw verify: ${ok(verifying.ratio >= 0.25)}; sign ≥ 2× zeep: ${typeof zeep === 'number' ? ok(signRate >= 2 * zeep) : 'n/a'}; verify ≥ 2,000/s: ${ok(verifyRate >= 2000)}`,
        );
      } else {
        report.line(
          `targets: sign ≥ 0.3× raw sign: ${ok(signing.ratio >= 0.3)}; verify ≥ 2,000/s: ${ok(verifyRate >= 2000)}`,
        );
      }
    }
  },
};

export default bench;
