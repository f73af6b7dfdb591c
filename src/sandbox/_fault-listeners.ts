import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../log.ts';
import { listenerUrl } from './_url.ts';
import type { SandboxFault } from './faults.ts';

export interface FaultListeners {
  /** The endpoints with the SOAP gateway's replaced (unchanged without listener faults). */
  readonly endpoints: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

const listen = (server: Server, host: string): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });

const closeServer = (server: Server, sockets: Set<Socket>): Promise<void> =>
  new Promise((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });

/**
 * A port on `host` where nothing listens: bound by the system, then released. Another process
 * could take it in between; on a loopback test host that does not happen in practice.
 */
async function closedPort(host: string): Promise<number> {
  const server = createServer();
  const port = await listen(server, host);
  await closeServer(server, new Set());
  return port;
}

/**
 * Starts the listener of the listener fault among `faults` (see faults.ts) and publishes it in
 * place of the SOAP gateway: every endpoint that shares the origin of `cbss.soap` (the gateway
 * also serves `ehealth.soa`) now points at it, its path kept.
 */
export async function _startFaultListeners(
  host: string,
  faults: ReadonlySet<SandboxFault>,
  endpoints: Readonly<Record<string, string>>,
  log: Logger,
): Promise<FaultListeners> {
  const soap = endpoints['cbss.soap'];
  const mode = (['port-closed', 'handshake-timeout', 'handshake-drop'] as const).find((f) => faults.has(f));
  if (mode === undefined || soap === undefined) return { endpoints, close: async () => {} };
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port: number;
  if (mode === 'port-closed') {
    port = await closedPort(host);
  } else {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
      if (mode === 'handshake-drop') {
        socket.once('data', () => {
          log.info({ fault: mode }, 'TLS ClientHello received: connection reset');
          socket.resetAndDestroy();
        });
      } else {
        log.info({ fault: mode }, 'TCP connection accepted: the TLS handshake is never answered');
      }
    });
    port = await listen(server, host);
  }
  const origin = new URL(soap).origin;
  const replacement = listenerUrl('https', host, port);
  const replaced = Object.fromEntries(
    Object.entries(endpoints).map(([name, url]) =>
      url === origin || url.startsWith(`${origin}/`)
        ? [name, replacement + url.slice(origin.length)]
        : [name, url],
    ),
  );
  log.warn(
    { fault: mode, endpoint: replacement },
    'fault: the SOAP gateway is published on a faulty listener',
  );
  const running = server;
  return {
    endpoints: replaced,
    close: () => (running === undefined ? Promise.resolve() : closeServer(running, sockets)),
  };
}
