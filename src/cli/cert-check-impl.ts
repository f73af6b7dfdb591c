import { X509Certificate } from 'node:crypto';
import { resolve } from 'node:path';
import { PasserelleError } from '../errors.ts';
import { checkCertificate } from '../pki/check-certificate.ts';
import { parseCertificates } from '../pki/pem.ts';
import type { ProfileName } from '../pki/profiles.ts';
import { readCredentialFile } from '../pki/read-credential-file.ts';
import type { CertCheckOptions } from './commands/cert.ts';
import type { CommandContext } from './context.ts';
import { emit } from './output.ts';

const MARK = { error: '✗', warning: '!', info: '✓' } as const;

/** `passerelle cert check`: exit status 1 when any finding is an error. */
export async function certCheck(ctx: CommandContext, file: string, opts: CertCheckOptions): Promise<number> {
  const path = resolve(ctx.cwd, file);
  const [leaf, ...intermediates] = readCertificates(await readCredentialFile(path, 'certificate file'), path);
  const caBundle = opts.ca
    ? parseCertificates(
        (await readCredentialFile(resolve(ctx.cwd, opts.ca), 'CA bundle')).toString('utf8'),
        resolve(ctx.cwd, opts.ca),
      )
    : undefined;
  if (!leaf) throw new PasserelleError('ERR_PKI_NO_CERT', `No certificate in ${path}`);
  const findings = checkCertificate(leaf, {
    ...(opts.profile ? { profile: opts.profile as ProfileName } : {}),
    ...(caBundle ? { caBundle } : {}),
    intermediates,
    now: ctx.clock.now(),
  });
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const value = {
    ok: errors === 0,
    file: path,
    subject: leaf.subject.replace(/\n/g, ', '),
    issuer: leaf.issuer.replace(/\n/g, ', '),
    notAfter: new Date(leaf.validTo).toISOString(),
    profile: opts.profile ?? null,
    findings,
  };
  emit(ctx.io, ctx.json, value, () =>
    [
      `${value.subject}`,
      ...findings.map((f) => `  ${MARK[f.severity]} ${f.severity.padEnd(7)} ${f.id}: ${f.message}`),
      errors === 0 ? `ok (${warnings} warning(s))` : `${errors} error(s), ${warnings} warning(s)`,
    ].join('\n'),
  );
  return errors === 0 ? 0 : 1;
}

function readCertificates(bytes: Buffer, path: string): X509Certificate[] {
  const text = bytes.toString('latin1');
  if (text.includes('-----BEGIN')) return parseCertificates(bytes.toString('utf8'), path);
  try {
    return [new X509Certificate(bytes)];
  } catch (cause) {
    throw new PasserelleError('ERR_PKI_KEYSTORE_CORRUPT', `${path} is neither a PEM nor a DER certificate`, {
      details: { path },
      cause,
    });
  }
}
