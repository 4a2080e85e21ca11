// The Hamming distance between two PDQ hashes. Pure.

const HEX64 = /^[0-9a-fA-F]{64}$/;

function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Number of differing bits between two 256-bit PDQ hashes given as 64 hex digits. */
export function hammingDistance(a: string, b: string): number {
  if (typeof a !== 'string' || !HEX64.test(a)) throw new TypeError(`not a 64-hex-digit PDQ hash: ${String(a)}`);
  if (typeof b !== 'string' || !HEX64.test(b)) throw new TypeError(`not a 64-hex-digit PDQ hash: ${String(b)}`);
  let d = 0;
  for (let k = 0; k < 64; k += 8) {
    d += popcount32((parseInt(a.slice(k, k + 8), 16) ^ parseInt(b.slice(k, k + 8), 16)) >>> 0);
  }
  return d;
}
