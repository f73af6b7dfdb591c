import { loginWithLoopback, type PscClient, type PscTokens } from '../../mss/index.ts';
import { driveSandboxLogin } from './drive-login.ts';

export interface SandboxLoopbackLoginOptions {
  /** PEM of the CA of the sandbox's TLS certificate. */
  readonly ca: string;
  /** Port of the loopback redirect (0: any). */
  readonly port?: number | undefined;
  readonly timeoutMs?: number | undefined;
}

/**
 * A full Pro Santé Connect login against the sandbox stub without a browser: the loopback login
 * of `passerelle/mss` (PKCE, state, nonce and acr checked), with the sandbox login page driven
 * for the test professional `rpps` and the browser's last redirect replayed to the loopback
 * server. A failure of the page (unknown professional, stub gone) ends the login at once with
 * its own error (ERR_MSS_LOGIN_FAILED) instead of waiting for the timeout.
 */
export async function sandboxLoopbackLogin(
  client: Pick<PscClient, 'authorizationRequest' | 'exchangeCode'>,
  rpps: string,
  options: SandboxLoopbackLoginOptions,
): Promise<PscTokens> {
  const aborter = new AbortController();
  let driveError: unknown;
  try {
    return await loginWithLoopback({
      client,
      port: options.port ?? 0,
      timeoutMs: options.timeoutMs ?? 30_000,
      signal: aborter.signal,
      onUrl: (url) => {
        // Not awaited: the loopback server answers the replayed redirect while the login waits.
        void (async () => {
          const redirect = await driveSandboxLogin(url, rpps, { ca: options.ca });
          const res = await fetch(redirect);
          await res.body?.cancel();
        })().catch((error: unknown) => {
          driveError = error;
          aborter.abort();
        });
      },
    });
  } catch (error) {
    throw driveError ?? error;
  }
}
