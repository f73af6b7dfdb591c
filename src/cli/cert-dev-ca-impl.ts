import { resolve } from 'node:path';
import { createDevCa, hasDevCa, loadDevCa } from '../pki/dev-ca.ts';
import { issueDevCertificate } from '../pki/dev-issue.ts';
import { subjectDn } from '../pki/dn.ts';
import { profileSubject } from '../pki/profiles.ts';
import { type CredentialFiles, writeCredentialFiles } from '../pki/write-credential-files.ts';
import type { CertDevCaOptions } from './commands/cert.ts';
import type { CommandContext } from './context.ts';
import { emit } from './output.ts';

/**
 * `passerelle cert dev-ca`: creates (or reuses) DIR/ca.{crt,key} + DIR/password and issues
 * server (SAN localhost, 127.0.0.1), partner-tls (cbss profile) and partner-app (ebox profile).
 */
export async function certDevCa(ctx: CommandContext, opts: CertDevCaOptions): Promise<number> {
  const dir = resolve(ctx.cwd, opts.out);
  const reused = await hasDevCa(dir);
  const ca = reused ? await loadDevCa(dir) : await createDevCa({ dir, clock: ctx.clock });
  const partner = { cbe: opts.cbe, institution: opts.institution, app: opts.app, env: 'SIM' as const };
  const specs = [
    {
      name: 'server',
      usage: 'tls-server' as const,
      subject: 'C=BE, O=Passerelle Development, CN=localhost',
      keyType: 'ec-p256' as const,
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
    },
    {
      name: 'partner-tls',
      usage: 'tls-client' as const,
      subject: profileSubject('cbss', partner),
      keyType: 'rsa-2048' as const,
      profile: 'cbss',
    },
    {
      name: 'partner-app',
      usage: 'tls-client-signing' as const,
      subject: profileSubject('ebox', partner),
      keyType: 'rsa-2048' as const,
      profile: 'ebox',
    },
  ];
  const issued: Array<
    { name: string; usage: string; profile: string | null; subject: string } & CredentialFiles
  > = [];
  for (const { name, profile, ...spec } of specs) {
    const credential = await issueDevCertificate(ca, { ...spec, clock: ctx.clock });
    const files = await writeCredentialFiles(dir, name, credential, { password: ca.password });
    issued.push({
      name,
      usage: spec.usage,
      profile: profile ?? null,
      subject: subjectDn(credential.certificate),
      ...files,
    });
  }
  const value = {
    dir,
    reusedCa: reused,
    ca: ca.certFile,
    passwordFile: ca.passwordFile,
    credentials: issued,
  };
  emit(ctx.io, ctx.json, value, () =>
    [
      `${reused ? 'reused' : 'created'} development CA ${ca.certFile}`,
      `password file ${ca.passwordFile} (mode 0600) protects every .key and .p12 below`,
      ...issued.map(
        (c) =>
          `  ${c.name.padEnd(12)} ${c.usage.padEnd(18)} ${c.subject}\n  ${''.padEnd(12)} ${c.certPath}, ${c.keyPath}, ${c.p12Path}`,
      ),
      'development only: never trust this CA outside the sandbox.',
    ].join('\n'),
  );
  return 0;
}
