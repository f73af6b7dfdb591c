import { PasserelleError } from '../errors.ts';
import { createRestService, type RestService } from '../services/rest/create-rest-service.ts';
import type { RestCallOptions } from './commands/rest.ts';
import type { CommandContext } from './context.ts';
import { emit, emitFailure } from './output.ts';

async function _service(ctx: CommandContext, opts: RestCallOptions): Promise<RestService> {
  return createRestService(await ctx.environment(), {
    clock: ctx.clock,
    processEnv: ctx.processEnv,
    trace: await ctx.trace(),
    ...(opts.clientId === undefined ? {} : { clientId: opts.clientId }),
    ...(opts.scope === undefined ? {} : { scope: opts.scope }),
  });
}

/** `passerelle rest get PATH --api NAME`: the JSON body (a non-JSON body is summarised, not dumped). */
export async function restGet(ctx: CommandContext, path: string, opts: RestCallOptions): Promise<number> {
  const service = await _service(ctx, opts);
  try {
    const res = await service.get(path, { api: opts.api });
    const body = Buffer.isBuffer(res.body)
      ? { contentType: String(res.headers['content-type'] ?? ''), bytes: res.body.length }
      : (res.body ?? null);
    emit(ctx.io, ctx.json, { api: opts.api, path, status: res.status, body }, () =>
      typeof body === 'object' ? JSON.stringify(body, null, 2) : String(body),
    );
    return 0;
  } finally {
    await service.close();
  }
}

/** `passerelle rest health --api NAME`: exit 0 when UP or DEGRADED, 1 when DOWN. */
export async function restHealthCommand(ctx: CommandContext, opts: RestCallOptions): Promise<number> {
  const service = await _service(ctx, opts);
  try {
    const health = await service.health(opts.api);
    const human = () => {
      const extra =
        Object.keys(health.details).length === 0 ? '' : `\n  details ${JSON.stringify(health.details)}`;
      return `${opts.api}: ${health.status} (HTTP ${health.httpStatus})${extra}`;
    };
    if (health.status !== 'DOWN') {
      emit(ctx.io, ctx.json, health, human);
      return 0;
    }
    const error = new PasserelleError(
      'ERR_REST_UNHEALTHY',
      `The ${opts.api} API reports DOWN (HTTP ${health.httpStatus})`,
      { details: { api: opts.api, httpStatus: health.httpStatus } },
    );
    return emitFailure(ctx.io, ctx.json, health, error, human);
  } finally {
    await service.close();
  }
}
