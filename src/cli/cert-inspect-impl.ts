import { resolve } from 'node:path';
import { inspectP12 } from '../pki/inspect-p12.ts';
import { resolvePassword } from './cert-password.ts';
import type { CertPasswordOptions } from './commands/cert.ts';
import type { CommandContext } from './context.ts';
import { emit } from './output.ts';

/** `passerelle cert inspect`: the keystore's entries, never its secrets. */
export async function certInspect(
  ctx: CommandContext,
  file: string,
  opts: CertPasswordOptions,
): Promise<number> {
  const password = (await resolvePassword(ctx, opts)) ?? '';
  const result = await inspectP12(resolve(ctx.cwd, file), password, {
    setting: 'the FILE argument of cert inspect',
  });
  emit(ctx.io, ctx.json, result, () => {
    const lines = [
      `${result.file}`,
      `  integrity: ${result.mac ? `${result.mac.algorithm}, ${result.mac.iterations} iterations` : 'no MAC'}`,
    ];
    for (const e of result.entries) {
      const id = [
        e.friendlyName ? `"${e.friendlyName}"` : null,
        e.localKeyId ? `localKeyId ${e.localKeyId.slice(0, 16)}…` : null,
      ]
        .filter(Boolean)
        .join(', ');
      if (e.kind === 'key')
        lines.push(`  private key  ${e.keyType}${id ? `  ${id}` : ''}  [${e.encryption}]`);
      else if (e.kind === 'cert') {
        lines.push(
          `  certificate  ${e.subject}${id ? `  ${id}` : ''}${e.hasPrivateKey ? '  (has its private key)' : ''}`,
        );
        lines.push(`               issuer ${e.issuer}`);
        lines.push(`               ${e.keyType}, valid ${e.notBefore} → ${e.notAfter}  [${e.encryption}]`);
      } else lines.push(`  other bag    ${e.bagType}`);
    }
    return lines.join('\n');
  });
  return 0;
}
