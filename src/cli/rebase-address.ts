import { builtinEndpoints, type Channel, ENDPOINT_NAMES, type EndpointName } from '../config/registry.ts';
import type { ServiceContext } from '../services/service-context.ts';

/**
 * A WSDL's address is a platform URL of one environment (or a placeholder): the call goes to the
 * same endpoint of the selected environment. The longest registry URL that prefixes the address
 * names the endpoint; the rest of the path is kept.
 */
export function rebaseAddress(
  address: string,
  services: Pick<ServiceContext, 'endpoint'>,
): { url: string; endpoint: EndpointName } | undefined {
  let best: { name: EndpointName; base: string } | undefined;
  for (const env of ['test', 'acpt', 'prod'] as const) {
    for (const channel of ['extranet', 'internet'] as Channel[]) {
      const table = builtinEndpoints(env, channel);
      for (const name of ENDPOINT_NAMES) {
        const base = table[name]?.url;
        if (base === undefined || base.includes('{')) continue;
        const trimmed = base.replace(/\/+$/, '');
        const fits = address === trimmed || address.startsWith(`${trimmed}/`);
        if (fits && (best === undefined || trimmed.length > best.base.length)) best = { name, base: trimmed };
      }
    }
  }
  if (best === undefined) return undefined;
  const local = services.endpoint(best.name).replace(/\/+$/, '');
  return { url: `${local}${address.slice(best.base.length)}`, endpoint: best.name };
}
