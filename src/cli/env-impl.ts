import { environmentNames, resolveEnvironment } from '../config/environment.ts';
import { ENDPOINT_NAMES, KSZ_ENTRY_IPS } from '../config/registry.ts';
import { PasserelleError } from '../errors.ts';
import type { CommandContext } from './context.ts';
import { emit } from './output.ts';

export async function envList(ctx: CommandContext): Promise<number> {
  const loaded = await ctx.config();
  const rows = environmentNames(loaded).map((name) => {
    const env = resolveEnvironment(loaded, name, ctx.processEnv);
    return { name, channel: env.channel, custom: env.custom, endpoints: Object.keys(env.endpoints).length };
  });
  emit(ctx.io, ctx.json, { environments: rows }, () =>
    rows
      .map(
        (r) =>
          `${r.name.padEnd(10)} ${r.channel.padEnd(9)} ${r.custom ? 'custom ' : 'builtin'} ${r.endpoints} endpoints`,
      )
      .join('\n'),
  );
  return 0;
}

export async function envShow(ctx: CommandContext, name: string | undefined): Promise<number> {
  const loaded = await ctx.config();
  const known = environmentNames(loaded);
  if (name !== undefined && !known.includes(name)) {
    throw new PasserelleError('ERR_CONFIG_UNKNOWN_ENV', `Unknown environment "${name}"`, {
      hint: `Show one of ${known.join(', ')} (\`passerelle env list\`), or define "${name}" under "environments" in the configuration.`,
      details: { env: name, from: 'argument' },
    });
  }
  const env = resolveEnvironment(loaded, name ?? ctx.globals.env, ctx.processEnv);
  const endpoints = ENDPOINT_NAMES.flatMap((key) => {
    const e = env.endpoints[key];
    return e ? [{ name: key, ...e }] : [];
  });
  const ip = (KSZ_ENTRY_IPS as Record<string, string>)[env.name];
  const value = { name: env.name, channel: env.channel, custom: env.custom, entryIp: ip ?? null, endpoints };
  emit(ctx.io, ctx.json, value, () => {
    const lines = [
      `environment ${env.name} (${env.channel}${env.custom ? ', custom' : ''})${ip ? `, KSZ-BCSS entry IP ${ip}` : ''}`,
    ];
    for (const e of endpoints) {
      lines.push(`  ${e.name.padEnd(17)} ${e.url}  [${e.source}]`);
      if (e.note) lines.push(`  ${''.padEnd(17)} ! ${e.note}`);
    }
    if (endpoints.length === 0)
      lines.push('  (no endpoints: start the sandbox or define them in the configuration)');
    return lines.join('\n');
  });
  return 0;
}
