import { createServiceContext, type ServiceContext } from '../services/service-context.ts';
import type { DemoContext } from './step.ts';

/** Runs `fn` with the demo environment's service context (demo clock, no process env), then closes it. */
export async function withDemoServices<T>(
  ctx: DemoContext,
  fn: (services: ServiceContext) => Promise<T>,
): Promise<T> {
  const services = await createServiceContext(ctx.environment, { clock: ctx.clock, processEnv: {} });
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}
