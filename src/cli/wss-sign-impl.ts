import type { CredentialRef, SecretRef } from '../config/schema.ts';
import { PasserelleError } from '../errors.ts';
import { loadCredential } from '../pki/load-credential.ts';
import { signEnvelope } from '../wss/sign.ts';
import type { WssSignOptions } from './commands/wss.ts';
import type { CommandContext } from './context.ts';
import { emit } from './output.ts';
import { readStdin } from './wss-stdin.ts';

function credentialRef(opts: WssSignOptions): CredentialRef {
  if (opts.passwordEnv && opts.passwordFile)
    throw new PasserelleError('ERR_USAGE', 'Give either --password-env or --password-file, not both', {
      hint: 'Keep the one that names the password of the key or keystore.',
    });
  const password: SecretRef | undefined = opts.passwordEnv
    ? { env: opts.passwordEnv }
    : opts.passwordFile
      ? { file: opts.passwordFile }
      : undefined;
  const withPassword = password ? { password } : {};
  if (opts.p12 && !opts.cert && !opts.key) return { p12: opts.p12, ...withPassword };
  if (opts.cert && opts.key && !opts.p12) return { cert: opts.cert, key: opts.key, ...withPassword };
  throw new PasserelleError(
    'ERR_USAGE',
    'Give the signing credential as --p12 FILE, or as --cert FILE --key FILE',
    {
      hint: 'Add --password-env NAME or --password-file PATH when the key or keystore is encrypted.',
    },
  );
}

function ttlOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ttl = Number(text);
  if (!/^\d+$/.test(text) || ttl < 1 || ttl > 300)
    throw new PasserelleError('ERR_USAGE', '--ttl must be a whole number of seconds from 1 to 300', {
      hint: 'Give --ttl a lifetime from 1 to 300 seconds, or leave it out for 300.',
    });
  return ttl;
}

/** `wss sign` on a given envelope text: prints the signed envelope (or {envelope} with --json). */
export async function wssSignText(ctx: CommandContext, opts: WssSignOptions, input: string): Promise<number> {
  const ref = credentialRef(opts);
  const ttlSeconds = ttlOf(opts.ttl);
  const credential = await loadCredential(ref, {
    baseDir: ctx.cwd,
    env: ctx.processEnv,
    setting: (field) =>
      field === 'password' ? (opts.passwordEnv ? '--password-env' : '--password-file') : `--${field}`,
  });
  const derived = credential.keyKind === 'ec' ? 'ecdsa-sha256' : 'rsa-sha256';
  if (opts.alg !== 'auto' && opts.alg !== derived) {
    throw new PasserelleError(
      'ERR_USAGE',
      `--alg ${opts.alg} does not fit the ${credential.keyKind.toUpperCase()} key (use ${derived} or auto)`,
      { hint: `Give --alg ${derived}, or leave --alg out: auto picks the algorithm of the key.` },
    );
  }
  const signed = signEnvelope(input, {
    credential,
    clock: ctx.clock,
    inclusiveNamespaces: opts.inclusiveNamespaces,
    ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
  });
  emit(ctx.io, ctx.json, { envelope: signed }, () => signed);
  return 0;
}

/** `passerelle wss sign`: the envelope comes from stdin. */
export async function wssSign(ctx: CommandContext, opts: WssSignOptions): Promise<number> {
  return wssSignText(ctx, opts, await readStdin());
}
