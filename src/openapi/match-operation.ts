import type { ContractOperation, OpenApiContract } from './types.ts';

export interface OperationMatch {
  readonly operation: ContractOperation;
  /** Path parameters, percent-decoded. */
  readonly pathParams: Record<string, string>;
}

interface Segment {
  readonly literal: boolean;
  readonly regex: RegExp;
  readonly names: readonly string[];
}

const compiled = new WeakMap<ContractOperation, readonly Segment[]>();

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function segmentsOf(op: ContractOperation): readonly Segment[] {
  let segments = compiled.get(op);
  if (segments === undefined) {
    segments = split(op.path).map((part) => {
      const names: string[] = [];
      const source = part
        .split(/(\{[^}]+\})/)
        .map((piece) => {
          const m = /^\{([^}]+)\}$/.exec(piece);
          if (m === null) return escapeRegex(piece);
          names.push(m[1]!);
          return '([^/]+)';
        })
        .join('');
      return { literal: names.length === 0, regex: new RegExp(`^${source}$`), names };
    });
    compiled.set(op, segments);
  }
  return segments;
}

function split(path: string): string[] {
  const bare = path.split('?', 1)[0]!.replace(/\/+$/, '');
  return bare === '' ? [] : bare.replace(/^\/+/, '').split('/');
}

function decode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** Literal segments beat templated ones, first difference from the left decides. */
function better(a: readonly Segment[], b: readonly Segment[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.literal !== b[i]!.literal) return a[i]!.literal;
  }
  return false;
}

/**
 * The operation a request addresses: `method` and `path` relative to the API root
 * (`/persons/85073003328`), templates matched segment by segment, literal segments first.
 */
export function matchOperation(
  contract: OpenApiContract,
  method: string,
  path: string,
): OperationMatch | undefined {
  const wanted = method.toUpperCase();
  const parts = split(path);
  let best:
    | { op: ContractOperation; segments: readonly Segment[]; params: Record<string, string> }
    | undefined;
  for (const op of contract.operations) {
    if (op.method !== wanted) continue;
    const segments = segmentsOf(op);
    if (segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const segment = segments[i]!;
      const raw = parts[i]!;
      const m = segment.regex.exec(segment.literal ? (decode(raw) ?? raw) : raw);
      if (m === null) {
        ok = false;
        break;
      }
      segment.names.forEach((name, k) => {
        const value = decode(m[k + 1]!);
        if (value === undefined) ok = false;
        else params[name] = value;
      });
    }
    if (ok && (best === undefined || better(segments, best.segments))) best = { op, segments, params };
  }
  return best === undefined ? undefined : { operation: best.op, pathParams: best.params };
}
