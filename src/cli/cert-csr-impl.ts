import { randomBytes } from 'node:crypto';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PasserelleError } from '../errors.ts';
import { createCsr } from '../pki/csr.ts';
import type { KeyType } from '../pki/keys.ts';
import { PROFILE_ENVS, type ProfileEnv, type ProfileName } from '../pki/profiles.ts';
import { writeEncryptedKeyFile } from '../pki/write-key-file.ts';
import { writeSecretFile } from '../secret-file.ts';
import { resolvePassword } from './cert-password.ts';
import type { CertCsrOptions } from './commands/cert.ts';
import type { CommandContext } from './context.ts';
import { emit } from './output.ts';

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

/** `passerelle cert csr`: writes DIR/<name>.key (encrypted, 0600), DIR/<name>.csr and maybe DIR/<name>.key.pass. */
export async function certCsr(ctx: CommandContext, opts: CertCsrOptions): Promise<number> {
  const dir = resolve(ctx.cwd, opts.out);
  // `--env` is a global option (commander hands it to the program), so it arrives in ctx.globals.
  const env = envMarker(opts.env ?? ctx.globals.env);
  const name = opts.name ?? `${opts.profile}${env ? `-${env.toLowerCase()}` : ''}`;
  if (!/^[A-Za-z0-9._-]+$/.test(name))
    throw new PasserelleError('ERR_USAGE', `Invalid --name "${name}": use letters, digits, ".", "_" or "-"`, {
      hint: 'Give --name a plain file name (without a directory), or leave it out for <profile>[-<env>].',
    });
  const keyPath = join(dir, `${name}.key`);
  const csrPath = join(dir, `${name}.csr`);
  const passPath = join(dir, `${name}.key.pass`);
  if (await exists(keyPath)) {
    throw new PasserelleError('ERR_USAGE', `${keyPath} already exists; it is never overwritten`, {
      hint: 'Choose another --out directory or --name, or move the old key away first.',
    });
  }
  const given = await resolvePassword(ctx, opts);
  const password = given ?? randomBytes(24).toString('base64url');
  const result = await createCsr({
    profile: opts.profile as ProfileName,
    cbe: opts.cbe,
    institution: opts.institution,
    app: opts.app,
    ...(env ? { env } : {}),
    keyType: opts.keyType as KeyType,
  });
  await mkdir(dir, { recursive: true });
  if (given === undefined) {
    await writeSecretFile(passPath, `${password}\n`);
  }
  await writeEncryptedKeyFile(keyPath, result.privateKey, password);
  await writeFile(csrPath, result.csrPem, { mode: 0o644 });
  const value = {
    profile: opts.profile,
    subject: result.subject,
    keyType: opts.keyType,
    csr: csrPath,
    key: keyPath,
    passwordFile: given === undefined ? passPath : null,
  };
  emit(ctx.io, ctx.json, value, () =>
    [
      `subject  ${result.subject}`,
      `csr      ${csrPath}`,
      `key      ${keyPath} (encrypted PKCS#8, AES-256, mode 0600)`,
      given === undefined
        ? `password generated in ${passPath} (mode 0600): keep it with the key, it is needed to use the certificate`
        : `password from ${opts.passwordEnv ? `$${opts.passwordEnv}` : opts.passwordFile}`,
      'next: send the .csr to the certificate authority; check the certificate you get back with `passerelle cert check`.',
    ].join('\n'),
  );
  return 0;
}

function envMarker(value: string | undefined): ProfileEnv | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase();
  if ((PROFILE_ENVS as readonly string[]).includes(upper)) return upper as ProfileEnv;
  throw new PasserelleError('ERR_USAGE', `--env ${value} is not a certificate environment marker`, {
    hint: `For cert csr, --env takes ${PROFILE_ENVS.join(', ')} (the OU added to the subject).`,
  });
}
