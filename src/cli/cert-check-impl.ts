import { X509Certificate } from 'node:crypto';
import { resolve } from 'node:path';
import { PasserelleError } from '../errors.ts';
import { checkCertificate } from '../pki/check-certificate.ts';
import { issuerDn, subjectDn } from '../pki/dn.ts';
import { parseCertificates } from '../pki/pem.ts';
import type { ProfileName } from '../pki/profiles.ts';
import { readCredentialFile } from '../pki/read-credential-file.ts';
import type { CertCheckOptions } from './commands/cert.ts';
import type { CommandContext } from './context.ts';
import { emit, emitFailure } from './output.ts';

const MARK = { error: '✗', warning: '!', info: '✓' } as const;

/** `passerelle cert check`: exit status 1 when any finding is an error. */
export async function certCheck(ctx: CommandContext, file: string, opts: CertCheckOptions): Promise<number> {
  const path = resolve(ctx.cwd, file);
  const [leaf, ...intermediates] = readCertificates(
    await readCredentialFile(path, 'certificate file', 'the FILE argument of cert check'),
    path,
  );
  const caBundle = opts.ca
    ? parseCertificates(
        (await readCredentialFile(resolve(ctx.cwd, opts.ca), 'CA bundle', '--ca')).toString('utf8'),
        resolve(ctx.cwd, opts.ca),
      )
    : undefined;
  if (!leaf)
    throw new PasserelleError('ERR_PKI_NO_CERT', `No certificate in ${path}`, {
      hint: 'Give a certificate (PEM or DER) as the FILE argument of cert check; a .p12 is read by `passerelle cert inspect`.',
      details: { path },
    });
  const findings = checkCertificate(leaf, {
    ...(opts.profile ? { profile: opts.profile as ProfileName } : {}),
    ...(caBundle ? { caBundle } : {}),
    intermediates,
    now: ctx.clock.now(),
  });
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const value = {
    file: path,
    subject: subjectDn(leaf),
    issuer: issuerDn(leaf),
    notBefore: new Date(leaf.validFrom).toISOString(),
    notAfter: new Date(leaf.validTo).toISOString(),
    profile: opts.profile ?? null,
    findings,
  };
  const human = () =>
    [
      `${value.subject}`,
      ...findings.map((f) => `  ${MARK[f.severity]} ${f.severity.padEnd(7)} ${f.id}: ${f.message}`),
      errors === 0 ? `ok (${warnings} warning(s))` : `${errors} error(s), ${warnings} warning(s)`,
    ].join('\n');
  if (errors === 0) {
    emit(ctx.io, ctx.json, value, human);
    return 0;
  }
  const failed = findings.filter((f) => f.severity === 'error').map((f) => f.id);
  const error = new PasserelleError(
    'ERR_PKI_CHECK_FAILED',
    `The certificate ${path} fails ${errors} check(s): ${failed.join(', ')}`,
    { details: { file: path, errors, warnings, failed } },
  );
  return emitFailure(ctx.io, ctx.json, value, error, human);
}

function readCertificates(bytes: Buffer, path: string): X509Certificate[] {
  const text = bytes.toString('latin1');
  if (text.includes('-----BEGIN')) return parseCertificates(bytes.toString('utf8'), path);
  try {
    return [new X509Certificate(bytes)];
  } catch (cause) {
    throw new PasserelleError('ERR_PKI_KEYSTORE_CORRUPT', `${path} is neither a PEM nor a DER certificate`, {
      hint: 'Give a certificate (PEM or DER) as the FILE argument of cert check; a .p12 is read by `passerelle cert inspect`.',
      details: { path },
      cause,
    });
  }
}
