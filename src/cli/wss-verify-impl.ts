import { PasserelleError } from '../errors.ts';
import { issuerDn, subjectDn } from '../pki/dn.ts';
import { loadTrust } from '../pki/load-trust.ts';
import { type SignedPart, verifyEnvelope } from '../wss/verify.ts';
import type { WssVerifyOptions } from './commands/wss.ts';
import type { CommandContext } from './context.ts';
import { emit } from './output.ts';
import { readStdin } from './wss-stdin.ts';

const PARTS: readonly SignedPart[] = ['body', 'timestamp', 'bst'];

function requireOf(text: string | undefined): SignedPart[] | undefined {
  if (text === undefined) return undefined;
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  const bad = parts.filter((p) => !PARTS.includes(p as SignedPart));
  if (bad.length > 0 || parts.length === 0)
    throw new PasserelleError('ERR_USAGE', `--require takes a comma-separated list of ${PARTS.join(', ')}`, {
      hint: 'For example --require body,timestamp; leave it out to require body, timestamp and bst.',
    });
  return parts as SignedPart[];
}

/** `wss verify` on a given envelope text: exit 0 with signer and parts; a failure throws its code (exit 1). */
export async function wssVerifyText(
  ctx: CommandContext,
  opts: WssVerifyOptions,
  input: string,
): Promise<number> {
  const require = requireOf(opts.require);
  const maxSkewSeconds = opts.maxSkew === undefined ? undefined : Number(opts.maxSkew);
  if (maxSkewSeconds !== undefined && (!/^\d+$/.test(opts.maxSkew ?? '') || maxSkewSeconds > 600)) {
    throw new PasserelleError('ERR_USAGE', '--max-skew must be a whole number of seconds up to 600', {
      hint: 'Give --max-skew from 0 to 600 seconds, or leave it out for 60.',
    });
  }
  const pins = (opts.pin ?? []).map((pin) => ({ pin }));
  const cas = (opts.ca ?? []).map((ca) => ({ ca }));
  if (pins.length + cas.length === 0) {
    throw new PasserelleError('ERR_USAGE', 'Say what to trust: --pin SIGNER.crt and/or --ca CA.pem', {
      hint: "--pin trusts one signer's certificate as itself; --ca trusts every certificate the CA issued.",
    });
  }
  // Loaded per flag, so that a file error names the flag that gave the file.
  const [pinned, anchors] = await Promise.all([
    loadTrust(pins, { baseDir: ctx.cwd, setting: '--pin' }),
    loadTrust(cas, { baseDir: ctx.cwd, setting: '--ca' }),
  ]);
  const trust = { pinned: pinned.pinned, ca: anchors.ca };
  const v = verifyEnvelope(input, {
    trust,
    clock: ctx.clock,
    ...(require ? { require } : {}),
    ...(maxSkewSeconds === undefined ? {} : { maxSkewSeconds }),
  });
  const subject = subjectDn(v.signer);
  const value = {
    signer: {
      subject,
      issuer: issuerDn(v.signer),
      serialNumber: v.signer.serialNumber,
      fingerprint256: v.signer.fingerprint256,
      validFrom: new Date(v.signer.validFrom).toISOString(),
      validTo: new Date(v.signer.validTo).toISOString(),
    },
    signedParts: v.signedParts,
    timestamp: v.timestamp
      ? { created: v.timestamp.created.toISOString(), expires: v.timestamp.expires.toISOString() }
      : null,
  };
  emit(ctx.io, ctx.json, value, () =>
    [
      `verified: signed by ${subject}`,
      `  signed parts: ${v.signedParts.join(', ')}`,
      ...(v.timestamp ? [`  timestamp: ${value.timestamp?.created} → ${value.timestamp?.expires}`] : []),
    ].join('\n'),
  );
  return 0;
}

/** `passerelle wss verify`: the envelope comes from stdin. */
export async function wssVerify(ctx: CommandContext, opts: WssVerifyOptions): Promise<number> {
  return wssVerifyText(ctx, opts, await readStdin());
}
