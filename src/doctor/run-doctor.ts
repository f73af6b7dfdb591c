import { X509Certificate } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { rootCertificates } from 'node:tls';
import { systemClock } from '../clock.ts';
import type { ResolvedEnvironment } from '../config/environment.ts';
import { loadServerCa } from '../pki/load-trust.ts';
import { _runCheck } from './_check.ts';
import {
  _configOutcome,
  _credentialOutcome,
  type _LoadedCredentials,
  _profileOutcome,
} from './_credential-checks.ts';
import { _dnsOutcome, _tcpOutcome } from './_network.ts';
import {
  _oauthErrors,
  _oauthOutcome,
  _restErrors,
  _restHealthOutcome,
  _sftpErrors,
  _sftpOutcome,
  _testCallErrors,
  _testCallOutcome,
} from './_service-checks.ts';
import { _hostPort, type _Target, _targets, DEFAULT_ENDPOINTS, MUTUAL_TLS_ENDPOINTS } from './_targets.ts';
import { _clientCertOutcome, type _Session, type _TlsContext, _tlsOutcome } from './_tls-checks.ts';
import type { DoctorCheck, DoctorReport, RunDoctorOptions } from './types.ts';

const ROLE_TITLE = { tls: 'TLS', signing: 'Signing', oauth: 'OAuth' } as const;

/**
 * Runs the onboarding checks against one environment, in the order of the onboarding steps, and
 * stops at the first failure: configuration → credentials (load, validity, key, subject
 * profile) → DNS of each endpoint host → TCP per host:port → TLS handshake and server chain
 * against `trust.ca` → client certificate accepted (mutual-TLS entry points) → the signed
 * TestConnectionService call → an OAuth token → `GET /{api}/health` of the REST APIs named →
 * SFTP login. `env` is the resolved environment, or a function resolving it (its configuration
 * errors become the failed `config` check).
 * Never throws for a broken step: the report says which step and what to do. Never reports a
 * secret (a token appears by its fingerprint only).
 */
export async function runDoctor(
  env: ResolvedEnvironment | (() => Promise<ResolvedEnvironment>),
  options: RunDoctorOptions = {},
): Promise<DoctorReport> {
  const { clock = systemClock, processEnv = process.env, profile, firewallRows = [], onCheck } = options;
  const names = options.endpoints ?? DEFAULT_ENDPOINTS;
  const t = {
    dnsMs: options.timeouts?.dnsMs ?? 3000,
    tcpMs: options.timeouts?.tcpMs ?? 3000,
    tlsMs: options.timeouts?.tlsMs ?? 5000,
    callMs: options.timeouts?.callMs ?? 15000,
  };
  const started = performance.now();
  const checks: DoctorCheck[] = [];
  const sessions = new Map<string, _Session>();
  let resolved: ResolvedEnvironment | undefined = typeof env === 'function' ? undefined : env;
  const report = (): DoctorReport => {
    const failed = checks.find((c) => c.status === 'failed');
    return {
      env: resolved?.name ?? '?',
      status: failed === undefined ? 'ok' : 'failed',
      checks,
      ...(failed === undefined ? {} : { failed }),
      durationMs: Math.round(performance.now() - started),
    };
  };
  /** Runs and records one check; false when it failed (the run stops there). */
  const check = async (...args: Parameters<typeof _runCheck>): Promise<boolean> => {
    const result = await _runCheck(...args);
    checks.push(result);
    onCheck?.(result);
    return result.status !== 'failed';
  };

  try {
    let targets: _Target[] = [];
    const configOk = await check('config', 'Configuration valid', 0, async () => {
      resolved ??= await (env as () => Promise<ResolvedEnvironment>)();
      const outcome = _configOutcome(resolved, names);
      targets = _targets(resolved, names);
      return outcome;
    });
    if (!configOk || resolved === undefined) return report();
    const e: ResolvedEnvironment = resolved;

    const loaded: _LoadedCredentials = {};
    for (const role of ['tls', 'signing', 'oauth'] as const) {
      const title = `${ROLE_TITLE[role]} credential loads, is valid now, key matches`;
      if (
        !(await check(`credential.${role}`, title, 3, () =>
          _credentialOutcome(e, role, clock, processEnv, loaded),
        ))
      )
        return report();
    }
    const credential = loaded.tls;
    const profileOk = await check(
      'credential.tls.profile',
      'TLS certificate subject fits the profile',
      3,
      async () => _profileOutcome(e, credential, profile, clock.now()),
    );
    if (!profileOk || credential === undefined) return report();

    const addresses = new Map<string, string[]>();
    for (const host of new Set(targets.map((x) => x.host))) {
      if (!(await check(`dns:${host}`, `DNS ${host}`, 1, () => _dnsOutcome(e, host, t.dnsMs, addresses))))
        return report();
    }
    const addressesOf = (x: _Target) => addresses.get(x.host) ?? [x.host];
    for (const x of targets) {
      const id = _hostPort(x.host, x.port);
      const title = `TCP ${id} (${x.endpoints.join(', ')})`;
      if (
        !(await check(`tcp:${id}`, title, 2, () => _tcpOutcome(e, x, addressesOf(x), firewallRows, t.tcpMs)))
      )
        return report();
    }

    const caFiles = await loadServerCa(e);
    const tlsCtx: _TlsContext = {
      env: e,
      credential,
      ca: caFiles ?? rootCertificates.map((pem) => new X509Certificate(pem)),
      caSetting: caFiles === undefined ? 'the system CA store' : `environments.${e.name}.trust.ca`,
      now: clock.now(),
      rows: firewallRows,
      timeoutMs: t.tlsMs,
    };
    const tlsTargets = targets.filter((x) => x.tls);
    for (const x of tlsTargets) {
      const id = _hostPort(x.host, x.port);
      const title = `TLS ${id}, server certificate trusted`;
      if (!(await check(`tls:${id}`, title, 3, () => _tlsOutcome(tlsCtx, x, addressesOf(x), sessions))))
        return report();
    }
    for (const x of tlsTargets.filter((y) => y.endpoints.some((n) => MUTUAL_TLS_ENDPOINTS.includes(n)))) {
      const id = _hostPort(x.host, x.port);
      const title = `Client certificate accepted by ${id}`;
      if (!(await check(`mtls:${id}`, title, 3, () => _clientCertOutcome(tlsCtx, x, sessions.get(id)))))
        return report();
    }

    const testCall = () => _testCallOutcome(e, clock, processEnv, t.callMs);
    if (
      !(await check(
        'call:cbss:test-connection',
        'Test call cbss:test-connection',
        5,
        testCall,
        _testCallErrors(e, t.callMs),
      ))
    )
      return report();
    const token = () => _oauthOutcome(e, clock, processEnv, t.callMs);
    if (!(await check('oauth:token', 'OAuth token', 4, token, _oauthErrors(e)))) return report();
    const restApis =
      e.endpoints['cbss.rest'] === undefined ? [] : (options.restApis ?? Object.keys(e.rest?.apis ?? {}));
    for (const api of restApis) {
      const health = () => _restHealthOutcome(e, api, clock, processEnv, t.callMs);
      if (!(await check(`rest:health:${api}`, `REST /${api}/health`, 5, health, _restErrors(e, api))))
        return report();
    }
    await check('sftp:login', 'SFTP login', 5, () => _sftpOutcome(e, processEnv, t.callMs), _sftpErrors(e));
    return report();
  } finally {
    for (const s of sessions.values()) if ('socket' in s) s.socket.destroy();
  }
}
