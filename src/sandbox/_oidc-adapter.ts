import type { Adapter, AdapterPayload } from 'oidc-provider';

interface _Row {
  payload: AdapterPayload;
  expiresAt: number | undefined;
}

/**
 * An in-memory oidc-provider adapter owned by one provider instance (the library's default
 * one is process-global, and warns on the console). In the OAuth module it backs the
 * ReplayDetection model, so a reused client assertion `jti` is refused until the assertion
 * expires; in the PSC stub it holds sessions, interactions, codes, grants and refresh tokens
 * (lost on restart; the signed access tokens are not). Expired rows are pruned as new ones
 * arrive; past `maxRows` the oldest go.
 */
export function _memoryAdapter(maxRows = 100_000): new (name: string) => Adapter {
  const rows = new Map<string, _Row>();
  const live = (key: string): _Row | undefined => {
    const row = rows.get(key);
    if (row !== undefined && row.expiresAt !== undefined && row.expiresAt <= Date.now()) {
      rows.delete(key);
      return undefined;
    }
    return row;
  };
  const prune = () => {
    const now = Date.now();
    for (const [key, row] of rows) if (row.expiresAt !== undefined && row.expiresAt <= now) rows.delete(key);
    while (rows.size >= maxRows) {
      const oldest = rows.keys().next().value;
      if (oldest === undefined) break;
      rows.delete(oldest);
    }
  };
  let writes = 0;
  return class _SandboxAdapter implements Adapter {
    readonly #name: string;
    constructor(name: string) {
      this.#name = name;
    }
    #key(id: string): string {
      return `${this.#name}:${id}`;
    }
    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      if (++writes % 1000 === 0 || rows.size >= maxRows) prune();
      rows.set(this.#key(id), {
        payload: { ...payload },
        expiresAt: expiresIn > 0 ? Date.now() + expiresIn * 1000 : undefined,
      });
    }
    async find(id: string): Promise<AdapterPayload | undefined> {
      return live(this.#key(id))?.payload;
    }
    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      for (const [key] of rows) {
        const row = key.startsWith(`${this.#name}:`) ? live(key) : undefined;
        if (row?.payload.userCode === userCode) return row.payload;
      }
      return undefined;
    }
    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      for (const [key] of rows) {
        const row = key.startsWith(`${this.#name}:`) ? live(key) : undefined;
        if (row?.payload.uid === uid) return row.payload;
      }
      return undefined;
    }
    async consume(id: string): Promise<void> {
      const row = live(this.#key(id));
      if (row !== undefined) row.payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string): Promise<void> {
      rows.delete(this.#key(id));
    }
    async revokeByGrantId(grantId: string): Promise<void> {
      for (const [key, row] of rows) if (row.payload.grantId === grantId) rows.delete(key);
    }
  };
}
