import { readFile } from 'node:fs/promises';
import { PasserelleError } from '../errors.ts';
import { describeFileFailure } from '../input-file.ts';
import { writeSecretFile } from '../secret-file.ts';
import type { PscTokens } from './psc-tokens.ts';
import type { MssSession } from './session.ts';

const FORMAT = 'passerelle-mss-session';
const VERSION = 1;

/** What loadSession returns: the tokens, and the last activity of the session (idle rule). */
export interface StoredSession extends PscTokens {
  /** When the session was last used (ms since the epoch): the 15-minute idle rule spans processes. */
  readonly lastActivityAt: number;
}

export interface TokenStoreOptions {
  /** The flag or configuration key that named the file (`--token-file`), for hints. */
  readonly setting?: string | undefined;
}

export interface SaveSessionOptions extends TokenStoreOptions {
  /** Default: the `lastActivityAt` of `tokens` when it is a StoredSession, else its login time. */
  readonly lastActivityAt?: number | undefined;
}

const _num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const _optStr = (v: unknown): boolean => v === undefined || (typeof v === 'string' && v !== '');

/** Only the known fields, in a fixed order (nothing else a caller's object may carry). */
function _pick(t: PscTokens): PscTokens {
  return {
    accessToken: t.accessToken,
    ...(t.refreshToken === undefined ? {} : { refreshToken: t.refreshToken }),
    ...(t.idToken === undefined ? {} : { idToken: t.idToken }),
    expiresAt: t.expiresAt,
    ...(t.refreshExpiresAt === undefined ? {} : { refreshExpiresAt: t.refreshExpiresAt }),
    ...(t.rpps === undefined ? {} : { rpps: t.rpps }),
    ...(t.acr === undefined ? {} : { acr: t.acr }),
    loggedInAt: t.loggedInAt,
  };
}

/**
 * Writes the session (tokens and last activity) to `file`: mode 0600, atomic (writeSecretFile;
 * ERR_FILE_UNWRITABLE on failure, never the tokens in the error).
 */
export async function saveSession(
  file: string,
  tokens: PscTokens,
  options: SaveSessionOptions = {},
): Promise<void> {
  const stored = (tokens as Partial<StoredSession>).lastActivityAt;
  const lastActivityAt = options.lastActivityAt ?? (_num(stored) ? stored : tokens.loggedInAt);
  const doc = { format: FORMAT, version: VERSION, tokens: _pick(tokens), lastActivityAt };
  await writeSecretFile(file, `${JSON.stringify(doc, null, 2)}\n`, {
    ...(options.setting === undefined ? {} : { setting: options.setting }),
  });
}

/** saveSession with a session's current tokens and last activity (after each command). */
export function persistSession(
  file: string,
  session: MssSession,
  options: TokenStoreOptions = {},
): Promise<void> {
  return saveSession(file, session.tokens, { ...options, lastActivityAt: session.lastActivityAt });
}

function _corrupt(file: string, why: string, cause?: unknown): PasserelleError {
  return new PasserelleError(
    'ERR_FILE_UNREADABLE',
    `${file} is not a Passerelle MSSanté session file (${why})`,
    {
      hint: 'Log in again with `passerelle mss login` (it rewrites the file), or name the right file with --token-file.',
      details: { path: file, reason: 'corrupt' },
      ...(cause === undefined ? {} : { cause }),
    },
  );
}

/**
 * Reads the session saved by saveSession. A missing file is ERR_MSS_LOGIN_REQUIRED; one that
 * cannot be read (a directory, permissions) ERR_FILE_UNREADABLE; one that is not a session file
 * written by Passerelle ERR_FILE_UNREADABLE with details.reason `corrupt`. Times are not checked
 * here: MssSession applies the rules.
 */
export async function loadSession(file: string, options: TokenStoreOptions = {}): Promise<StoredSession> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const failure = describeFileFailure(cause, file, options.setting);
    if (failure.missing) {
      throw new PasserelleError('ERR_MSS_LOGIN_REQUIRED', `No MSSanté session is stored in ${file}`, {
        details: { path: file },
      });
    }
    throw new PasserelleError(
      'ERR_FILE_UNREADABLE',
      `Cannot read the MSSanté session ${file}: ${failure.reason}`,
      {
        hint: failure.hint,
        details: { path: file, errno: failure.errno },
        cause,
      },
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw _corrupt(file, 'not JSON', cause);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw _corrupt(file, 'not a JSON object');
  const d = doc as Record<string, unknown>;
  if (d['format'] !== FORMAT) throw _corrupt(file, 'unknown format');
  if (d['version'] !== VERSION) throw _corrupt(file, `version ${String(d['version'])}, expected ${VERSION}`);
  const t = d['tokens'] as Record<string, unknown> | null | undefined;
  if (
    typeof t !== 'object' ||
    t === null ||
    typeof t['accessToken'] !== 'string' ||
    t['accessToken'] === '' ||
    !_num(t['expiresAt']) ||
    !_num(t['loggedInAt']) ||
    !(t['refreshExpiresAt'] === undefined || _num(t['refreshExpiresAt'])) ||
    !['refreshToken', 'idToken', 'rpps', 'acr'].every((k) => _optStr(t[k])) ||
    !_num(d['lastActivityAt'])
  ) {
    throw _corrupt(file, 'missing or invalid fields');
  }
  return Object.freeze({ ..._pick(t as unknown as PscTokens), lastActivityAt: d['lastActivityAt'] });
}
