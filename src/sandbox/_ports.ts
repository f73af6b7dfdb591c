import { PasserelleError } from '../errors.ts';
import type { SandboxModule } from './module.ts';

/** The highest port offset a module may declare (port-base + offset stays a valid port). */
export const MAX_PORT_OFFSET = 99;

/**
 * Port assignment: `port(role)` of a module is port-base + the offset the module declared for
 * that role, or 0 (ephemeral) when no port-base is given. Offsets are checked unique up front,
 * so two modules never race for the same port.
 */
export function portAllocator(
  modules: readonly SandboxModule[],
  portBase: number | undefined,
): (module: SandboxModule) => (role: string) => number {
  if (
    portBase !== undefined &&
    (!Number.isInteger(portBase) || portBase < 1 || portBase + MAX_PORT_OFFSET > 65535)
  ) {
    throw new TypeError(`startSandbox: portBase must be an integer from 1 to ${65535 - MAX_PORT_OFFSET}`);
  }
  const owners = new Map<number, string>();
  for (const m of modules) {
    for (const [role, offset] of Object.entries(m.ports ?? {})) {
      if (!Number.isInteger(offset) || offset < 0 || offset > MAX_PORT_OFFSET) {
        throw new TypeError(
          `sandbox module ${m.name}: port offset of role "${role}" must be 0..${MAX_PORT_OFFSET}`,
        );
      }
      const owner = owners.get(offset);
      if (owner !== undefined) {
        throw new PasserelleError(
          'ERR_SANDBOX_START',
          `Sandbox modules ${owner} and ${m.name}/${role} claim the same port offset ${offset}`,
          {
            hint: 'Give each module role its own offset in the module declaration.',
            details: { offset, modules: [owner, `${m.name}/${role}`] },
          },
        );
      }
      owners.set(offset, `${m.name}/${role}`);
    }
  }
  return (m) => (role) => {
    if (portBase === undefined) return 0;
    const offset = m.ports?.[role];
    if (offset === undefined) {
      throw new TypeError(
        `sandbox module ${m.name} asked for port role "${role}" it did not declare in "ports"`,
      );
    }
    return portBase + offset;
  };
}
