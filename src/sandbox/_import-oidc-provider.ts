import type * as OidcProvider from 'oidc-provider';
import type { Logger } from '../log.ts';

let loaded: Promise<typeof OidcProvider> | undefined;

const ESC = String.fromCharCode(27);
/** The text without ANSI colour codes (oidc-provider colours its notices on a TTY). */
const _plain = (text: string): string =>
  text
    .split(ESC)
    .map((part, i) => (i === 0 ? part : part.replace(/^\[[\d;]*m/, '')))
    .join('');

/**
 * Imports oidc-provider once. On import it writes notices (e.g. "Unsupported runtime" on Node 20)
 * straight to the console, and nothing below `cli/` may print: while the import runs, console
 * lines that start with "oidc-provider" go to the sandbox log instead; any other line passes.
 */
export function _importOidcProvider(log: Logger): Promise<typeof OidcProvider> {
  if (loaded !== undefined) return loaded;
  const { warn, info } = console;
  const ours = (args: unknown[]) =>
    typeof args[0] === 'string' && _plain(args[0]).startsWith('oidc-provider ');
  const divert =
    (original: (...a: unknown[]) => void) =>
    (...args: unknown[]): void => {
      if (ours(args)) log.warn({ notice: _plain(String(args[0])) }, 'oidc-provider notice');
      else original(...args);
    };
  console.warn = divert(warn);
  console.info = divert(info);
  loaded = import('oidc-provider').finally(() => {
    console.warn = warn;
    console.info = info;
  });
  return loaded;
}
