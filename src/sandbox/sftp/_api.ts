import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';
import { _sendJson } from '../_json.ts';
import type { SandboxModuleApi } from '../module.ts';
import type { _Account } from './_account.ts';
import { _AREAS } from './_paths.ts';

/** Files listed per folder at most (a folder with more is marked `truncated`). */
const MAX_LISTED = 200;

async function listing(dir: string) {
  const files: { name: string; size: number; modifiedAt: string }[] = [];
  let truncated = false;
  const d = await opendir(dir).catch(() => undefined);
  if (d === undefined) return { files, truncated };
  for await (const entry of d) {
    if (files.length >= MAX_LISTED) {
      truncated = true;
      break;
    }
    const st = await lstat(join(dir, entry.name)).catch(() => undefined);
    if (st?.isFile()) files.push({ name: entry.name, size: st.size, modifiedAt: st.mtime.toISOString() });
  }
  files.sort((a, b) => a.name.localeCompare(b.name));
  return { files, truncated };
}

/**
 * The console's view of the SFTP module, version 1: `GET /api/v1/sftp/accounts` lists each
 * account (user, sender, quota use) with the files of its IN/ and OUT/ (name, size, time; at
 * most 200 each). File contents are not served.
 */
export function _sftpApi(accounts: ReadonlyMap<string, _Account>, quotaBytes: number): SandboxModuleApi {
  return async (_req, res, path) => {
    if (path !== '/accounts' && path !== '/' && path !== '') {
      _sendJson(res, 404, {
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: path.slice(0, 100),
      });
      return;
    }
    const body = [];
    for (const a of accounts.values()) {
      const folders: Record<string, Awaited<ReturnType<typeof listing>>> = {};
      for (const area of _AREAS) folders[area] = await listing(a.area(area));
      body.push({ user: a.user, sender: a.sender, usedBytes: a.usage(), quotaBytes, ...folders });
    }
    _sendJson(res, 200, { version: 1, accounts: body });
  };
}
