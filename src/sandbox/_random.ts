/**
 * Seeded randomness for fault injection (mulberry32 over an FNV-1a hash of the seed), so a
 * sandbox run repeats. Each module gets its own stream derived from the seed and its name, so
 * adding a module does not shift the draws of the others. Not for keys, ids or nonces.
 */
export function seededRandom(seed: string | number, stream: string): () => number {
  let state = fnv1a(`${String(seed)}\u0000${stream}`);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
