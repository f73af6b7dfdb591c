import type { Hash } from 'node:crypto';

/**
 * Base64 into a hash without allocating: the XOP digest hashes 4/3 of every attachment byte as
 * base64 text. Node's `toString('base64')` is fast but makes a string per call — hundreds of MB of
 * young-generation garbage per GB, which under a small young generation (the deployment setting
 * that bounds RSS) cost more in scavenges than the encoding itself. So the canonical form is
 * encoded by a small WebAssembly SIMD routine into a fixed output area, hashed from there; the
 * text is byte-for-byte Node's (tests compare them). Without WebAssembly SIMD, `toString` is used.
 */

/** Input bytes encoded per step (a multiple of 12, the SIMD routine's unit): 48 KiB in, 64 KiB out. */
const STEP = 48 * 1024;
/** Where the routine reads (STEP bytes, plus 4 it loads but ignores) and writes (STEP/3*4 bytes). */
const IN = 0;
const OUT = STEP + 64;

// --- The WebAssembly module: `e(src, n, dst)` encodes n bytes (a multiple of 12) ---------------
// Per 12 input bytes: a swizzle puts each 3-byte group, big-endian, in a 32-bit lane; shifts and
// masks spread its four 6-bit indices over the lane's four bytes; the index-to-ASCII offset is
// looked up with a second swizzle (Muła's method): 0-25 +65, 26-51 +71, 52-61 -4, 62 -19, 63 -16.
const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  return out;
};
const simd = (op: number): number[] => [0xfd, ...leb(op)];
const v128 = (bytes: readonly number[]): number[] => [...simd(0x0c), ...bytes];
const splat8 = (x: number): number[] => v128(new Array<number>(16).fill(x & 0xff));
const splat32 = (x: number): number[] =>
  v128([0, 4, 8, 12].flatMap(() => [x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, x >>> 24]));
const get = (i: number): number[] => [0x20, i];
const set = (i: number): number[] => [0x21, i];
const i32 = (n: number): number[] => [0x41, n]; // small non-negative constants only (< 64)
const MEMARG = [0x00, 0x00]; // align 1, offset 0
const LOAD = simd(0x00); // v128.load
const STORE = simd(0x0b); // v128.store
const SWIZZLE = simd(0x0e); // i8x16.swizzle
const LT_U = simd(0x26); // i8x16.lt_u
const AND = simd(0x4e); // v128.and
const OR = simd(0x50); // v128.or
const ADD = simd(0x6e); // i8x16.add
const SUB_SAT_U = simd(0x73); // i8x16.sub_sat_u
const SHL = simd(0xab); // i32x4.shl
const SHR_U = simd(0xad); // i32x4.shr_u
/** Locals: 0 src, 1 n, 2 dst (params), 3 end (i32), 4 groups, 5 indices (v128). */
// biome-ignore format: one line per step of the routine
const BODY = [
  0x02, 0x01, 0x7f, 0x02, 0x7b, // locals: 1 x i32, 2 x v128
  ...get(0), ...get(1), 0x6a, ...set(3), // end = src + n (0x6a: i32.add)
  0x02, 0x40, 0x03, 0x40, // block, loop
  ...get(0), ...get(3), 0x4f, 0x0d, 0x01, // if (src >= end) leave the block
  ...get(0), ...LOAD, ...MEMARG, ...v128([2, 1, 0, 255, 5, 4, 3, 255, 8, 7, 6, 255, 11, 10, 9, 255]),
  ...SWIZZLE, ...set(4), // groups: lane k = b0 << 16 | b1 << 8 | b2 of group k
  ...get(4), ...i32(18), ...SHR_U, ...splat32(0x3f), ...AND, // 1st 6-bit index -> byte 0
  ...get(4), ...i32(4), ...SHR_U, ...splat32(0x3f00), ...AND, ...OR, // 2nd -> byte 1
  ...get(4), ...i32(10), ...SHL, ...splat32(0x3f0000), ...AND, ...OR, // 3rd -> byte 2
  ...get(4), ...i32(24), ...SHL, ...splat32(0x3f000000), ...AND, ...OR, ...set(5), // 4th -> byte 3
  ...get(2), ...get(5), // store at dst: indices + offset
  ...v128([71, 252, 252, 252, 252, 252, 252, 252, 252, 252, 252, 237, 240, 65, 0, 0]), // offsets
  ...get(5), ...splat8(51), ...SUB_SAT_U, // 0 for 0-51, 1-12 for 52-63
  ...get(5), ...splat8(26), ...LT_U, ...splat8(13), ...AND, ...OR, // 13 for 0-25
  ...SWIZZLE, ...ADD, ...STORE, ...MEMARG,
  ...get(0), ...i32(12), 0x6a, ...set(0), // src += 12
  ...get(2), ...i32(16), 0x6a, ...set(2), // dst += 16
  0x0c, 0x00, 0x0b, 0x0b, 0x0b, // br (loop), end loop, end block, end function
];
const section = (id: number, bytes: readonly number[]): number[] => [id, ...leb(bytes.length), ...bytes];
const MODULE = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...section(1, [0x01, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x00]), // type: (i32, i32, i32) -> ()
  ...section(3, [0x01, 0x00]),
  ...section(5, [0x01, 0x00, 0x02]), // memory: 2 pages (128 KiB)
  ...section(7, [0x02, 0x01, 0x6d, 0x02, 0x00, 0x01, 0x65, 0x00, 0x00]), // export "m" memory, "e" func
  ...section(10, [0x01, ...leb(BODY.length), ...BODY]),
]);

interface Encoder {
  readonly input: Uint8Array;
  readonly output: Buffer;
  readonly encode: (src: number, n: number, dst: number) => void;
}

/** The part of the WebAssembly API used here (the project's TypeScript lib has no DOM types). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: Record<string, unknown> };
}

function loadEncoder(): Encoder | undefined {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  try {
    if (!wasm?.validate(MODULE)) return undefined;
    const { exports } = new wasm.Instance(new wasm.Module(MODULE));
    const memory = exports['m'] as { readonly buffer: ArrayBuffer };
    return {
      input: new Uint8Array(memory.buffer, IN, STEP),
      output: Buffer.from(memory.buffer, OUT, (STEP / 3) * 4),
      encode: exports['e'] as Encoder['encode'],
    };
  } catch {
    return undefined;
  }
}

const encoder = loadEncoder();

/**
 * Feeds the canonical base64 (no line breaks) of `bytes` into a hash. `bytes` holds whole 3-byte
 * groups unless it is the last input of the text (then it ends with the padded final group).
 */
export function _hashBase64(hash: Hash, bytes: Uint8Array): void {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let start = 0; start < buf.length; start += STEP) {
    const end = Math.min(buf.length, start + STEP);
    const whole = encoder ? end - start - ((end - start) % 12) : 0;
    if (whole > 0) {
      encoder!.input.set(buf.subarray(start, start + whole));
      encoder!.encode(IN, whole, OUT);
      hash.update(encoder!.output.subarray(0, (whole / 3) * 4));
    }
    if (start + whole < end) hash.update(buf.toString('base64', start + whole, end), 'latin1');
  }
}

/** 57 bytes: one 76-character MIME line. */
const LINE_BYTES = 57;
/** Whole lines per step (840 lines: 47,880 bytes in). */
const LINE_STEP = LINE_BYTES * 840;
/** A line break in the canonical form of the text: CR is written as a character reference. */
const SEPARATOR = '&#xD;\n';

/**
 * Feeds base64 in lines of 76 characters (Java's MIME encoder, as canonicalized) into a hash.
 * `bytes` holds whole 57-byte lines but for the very last call of an attachment; `lines` is the
 * count of lines already hashed for this attachment (a separator goes before every line but the
 * first). Returns the new count. (Not the default form: written simply, with strings.)
 */
export function _hashBase64Lines(hash: Hash, bytes: Uint8Array, lines: number): number {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let count = lines;
  for (let start = 0; start < buf.length; start += LINE_STEP) {
    const text = buf.toString('base64', start, Math.min(buf.length, start + LINE_STEP));
    const parts: string[] = [];
    for (let i = 0; i < text.length; i += 76) parts.push(text.slice(i, i + 76));
    hash.update(`${count > 0 ? SEPARATOR : ''}${parts.join(SEPARATOR)}`, 'latin1');
    count += parts.length;
  }
  return count;
}

/** True when the WebAssembly encoder is in use (for tests). */
export const _simdBase64 = encoder !== undefined;
