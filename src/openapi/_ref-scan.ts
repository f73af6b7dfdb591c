/**
 * Reads a contract and every local file it references, before the OpenAPI parser sees any of
 * them: a `$ref` to a URL (any scheme, or `//host`) or to a file outside the contract's folder
 * is refused with ERR_CONTRACT_REMOTE_REF, so nothing is ever fetched. Sizes and file counts are
 * bounded. The parsed documents are what the parser is then given (see load-open-api.ts).
 */
import { open, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PasserelleError } from '../errors.ts';
import { isObject } from './_json.ts';

export interface ScanLimits {
  /** Total bytes of the contract and the files it references. */
  readonly maxBytes: number;
  readonly maxFiles: number;
}

export interface ScannedFiles {
  /** The contract's folder (real path): every referenced file lies inside it. */
  readonly root: string;
  /** The contract file (real path). */
  readonly file: string;
  /** Real path → parsed content (JSON-compatible: YAML is read with the core schema). */
  readonly documents: ReadonlyMap<string, unknown>;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

async function readBounded(path: string, budget: number, limits: ScanLimits): Promise<string> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const info = await handle.stat();
    if (!info.isFile()) throw new Error('not a regular file');
    if (info.size > budget) {
      throw new PasserelleError('ERR_CONTRACT_UNREADABLE', `contract files exceed ${limits.maxBytes} bytes`, {
        hint: 'Split the contract, or raise maxBytes if the document is trusted.',
        details: { file: path, maxBytes: limits.maxBytes },
      });
    }
    const buffer = Buffer.alloc(info.size);
    const { bytesRead } = await handle.read(buffer, 0, info.size, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } catch (e) {
    if (e instanceof PasserelleError) throw e;
    throw new PasserelleError('ERR_CONTRACT_UNREADABLE', `cannot read ${path}`, {
      details: { file: path, reason: (e as NodeJS.ErrnoException).code ?? String((e as Error).message) },
      cause: e,
    });
  } finally {
    await handle?.close();
  }
}

function parseDocument(text: string, file: string): unknown {
  try {
    // YAML 1.2 core schema: JSON is YAML; dates stay strings; aliases bounded (no billion laughs).
    return parseYaml(text, { schema: 'core', maxAliasCount: 1000, uniqueKeys: false });
  } catch (e) {
    throw new PasserelleError('ERR_CONTRACT_INVALID', `${file} is neither YAML nor JSON`, {
      details: {
        file,
        errors: [
          String((e as Error).message)
            .split('\n')[0]!
            .slice(0, 200),
        ],
      },
      cause: e,
    });
  }
}

function collectRefs(node: unknown, out: string[], depth = 0): void {
  if (depth > 512) return;
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, out, depth + 1);
  } else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push(value);
      else collectRefs(value, out, depth + 1);
    }
  }
}

function refused(ref: string, file: string, why: string): PasserelleError {
  return new PasserelleError('ERR_CONTRACT_REMOTE_REF', `$ref ${JSON.stringify(ref.slice(0, 200))} ${why}`, {
    details: { ref: ref.slice(0, 500), file },
  });
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.startsWith(sep));
}

/** Reads `file` and, transitively, every local file its `$ref`s name. */
export async function scanContract(file: string, limits: ScanLimits): Promise<ScannedFiles> {
  let first: string;
  try {
    first = await realpath(resolve(file));
  } catch (e) {
    throw new PasserelleError('ERR_CONTRACT_UNREADABLE', `cannot read ${file}`, {
      details: { file, reason: (e as NodeJS.ErrnoException).code ?? 'unknown' },
      cause: e,
    });
  }
  const root = dirname(first);
  const documents = new Map<string, unknown>();
  const queue = [first];
  let budget = limits.maxBytes;
  while (queue.length > 0) {
    const current = queue.shift()!;
    if (documents.has(current)) continue;
    if (documents.size >= limits.maxFiles) {
      throw new PasserelleError(
        'ERR_CONTRACT_UNREADABLE',
        `the contract references more than ${limits.maxFiles} files`,
        {
          hint: 'Bundle the contract into fewer files.',
          details: { file: first, maxFiles: limits.maxFiles },
        },
      );
    }
    const text = await readBounded(current, budget, limits);
    budget -= Buffer.byteLength(text);
    const parsed = parseDocument(text, current);
    documents.set(current, parsed);
    const refs: string[] = [];
    collectRefs(parsed, refs);
    for (const ref of refs) {
      const target = ref.split('#', 1)[0]!;
      if (target === '') continue;
      if (SCHEME.test(target) || target.startsWith('//') || target.startsWith('\\\\')) {
        throw refused(ref, current, 'names a URL: only files inside the contract folder are read');
      }
      let decoded: string;
      try {
        decoded = decodeURIComponent(target);
      } catch {
        throw refused(ref, current, 'is not a valid reference');
      }
      const wanted = resolve(dirname(current), decoded);
      if (!inside(root, wanted)) throw refused(ref, current, 'points outside the contract folder');
      let real: string;
      try {
        real = await realpath(wanted);
      } catch (e) {
        throw new PasserelleError(
          'ERR_CONTRACT_UNREADABLE',
          `cannot read ${decoded} (referenced by ${current})`,
          {
            details: { file: wanted, ref: ref.slice(0, 500) },
            cause: e,
          },
        );
      }
      if (!inside(root, real)) throw refused(ref, current, 'points outside the contract folder (via a link)');
      if (!documents.has(real)) queue.push(real);
    }
  }
  return { root, file: first, documents };
}
