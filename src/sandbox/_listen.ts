import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SandboxModuleContext } from './module.ts';

/**
 * Starts `server` on the port of the module role `role` and the sandbox host, with `onTlsError`
 * told of every refused TLS handshake. Resolves the bound port (ephemeral ports included).
 */
export async function listenRole(
  ctx: SandboxModuleContext,
  server: Server,
  role: string,
  onTlsError: (error: Error & { code?: string }) => void,
): Promise<number> {
  server.on('tlsClientError', onTlsError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(ctx.port(role), ctx.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Stops accepting connections, drops the open ones, and resolves once the server is closed. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
