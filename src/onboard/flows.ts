import { builtinEndpoints, type EndpointName, KSZ_ENTRY_IPS } from '../config/registry.ts';
import type { OnboardAnswers, OnboardEnvironment, OnboardService } from './answers.ts';

/**
 * The firewall flows of the onboarding form (PROTOCOLS.md §1, §10): one row per (environment,
 * service port) from the partner's source to the KSZ-BCSS entry point of that environment, plus
 * one row to the SFTP server when SFTP is wanted. Rows are numbered from 1 in the order of the
 * form, so that `doctor` can say "row N". No DNS is resolved: a destination without a published
 * IP carries its host name in the IP column.
 */

/** The services that are a flow of their own, with the registry endpoint that gives host and port. */
const FLOW_ENDPOINTS = [
  { service: 'soap', endpoint: 'cbss.soap', what: 'SOAP web services / API gateway' },
  { service: 'mtom', endpoint: 'cbss.mtom', what: 'SOAP with MTOM' },
  { service: 'rest', endpoint: 'cbss.rest', what: 'REST services' },
] as const satisfies readonly { service: OnboardService; endpoint: EndpointName; what: string }[];

export interface FirewallFlow {
  /** 1-based row number on the form. */
  readonly row: number;
  /** The environment of the destination; the SFTP server serves every environment. */
  readonly environment: OnboardEnvironment | 'all';
  readonly service: 'soap' | 'mtom' | 'rest' | 'sftp';
  readonly source: {
    readonly name: string;
    /** The official source IP(s). */
    readonly ips: readonly string[];
    readonly natIp?: string;
    /** Source ports: ephemeral. */
    readonly port: 'any';
  };
  readonly destination: {
    /** Host name of the entry point. */
    readonly name: string;
    /** Its published IP, or the host name when none is published (resolve it when filling the form). */
    readonly ip: string;
    readonly ipKnown: boolean;
    readonly port: number;
  };
  readonly protocol: 'HTTPS/TCP' | 'SFTP/TCP';
  readonly description: string;
  /** The platform's group rule the source IP is added to (the form's note), e.g. ACPT-CUSTOMER. */
  readonly group: string;
  /** A caveat from the registry (an inferred endpoint). */
  readonly note?: string;
}

const ENV_LABEL: Readonly<Record<OnboardEnvironment, string>> = {
  test: 'test',
  acpt: 'acceptance',
  prod: 'production',
};

/** The flows the answers need, numbered in form order: per environment its ports, then SFTP. */
export function firewallFlows(answers: OnboardAnswers): FirewallFlow[] {
  const { sourceName, sourceIps, natIp } = answers.network;
  const source = { name: sourceName, ips: [...sourceIps], ...(natIp ? { natIp } : {}), port: 'any' as const };
  const flows: FirewallFlow[] = [];
  const push = (flow: Omit<FirewallFlow, 'row'>) => flows.push({ row: flows.length + 1, ...flow });
  for (const env of answers.environments) {
    const table = builtinEndpoints(env, 'extranet');
    for (const { service, endpoint, what } of FLOW_ENDPOINTS) {
      if (!answers.services.includes(service)) continue;
      const entry = table[endpoint];
      if (entry === undefined) throw new Error(`registry: no ${endpoint} for ${env}`);
      const url = new URL(entry.url.replace('{api}', ''));
      const ip = KSZ_ENTRY_IPS[env];
      push({
        environment: env,
        service,
        source,
        destination: { name: url.hostname, ip, ipKnown: true, port: Number(url.port) },
        protocol: 'HTTPS/TCP',
        description: `KSZ-BCSS ${ENV_LABEL[env]}: ${what} (${url.port})`,
        group: `${env.toUpperCase()}-CUSTOMER`,
        ...(entry.note ? { note: entry.note } : {}),
      });
    }
  }
  if (answers.services.includes('sftp')) {
    const entry = builtinEndpoints(answers.environments[0] ?? 'prod', 'extranet').sftp;
    if (entry === undefined) throw new Error('registry: no sftp endpoint');
    const url = new URL(entry.url);
    push({
      environment: 'all',
      service: 'sftp',
      source,
      // No IP is published for the SFTP server: the host name stands in the IP column.
      destination: { name: url.hostname, ip: url.hostname, ipKnown: false, port: Number(url.port || 22) },
      protocol: 'SFTP/TCP',
      description: 'Social-security SFTP batch file exchange',
      group: answers.environments.map((env) => `${env.toUpperCase()}-CUSTOMER`).join(', '),
    });
  }
  return flows;
}

/**
 * The form row of a destination (`85.91.184.103`, or a host name) and port, or undefined when
 * the form has no such flow: what `doctor` names when a connection times out.
 */
export function flowRow(
  flows: readonly FirewallFlow[],
  destination: { readonly host: string; readonly port: number },
): FirewallFlow | undefined {
  return flows.find(
    (f) =>
      f.destination.port === destination.port &&
      (f.destination.ip === destination.host || f.destination.name === destination.host),
  );
}
