import { createHash } from 'node:crypto';
import { generatedContent } from './generated-content.ts';

/** The SHA-256 (hex) of `generatedContent(seed, size)`, computed as a stream. */
export async function generatedDigest(seed: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of generatedContent(seed, size)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
