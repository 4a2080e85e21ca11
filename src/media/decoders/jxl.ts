// JPEG XL: Debian's djxl (libjxl-tools) when it is installed, else libjxl in WebAssembly (@jsquash/jxl).
//
// Both give pixels with the codestream's orientation applied. djxl is asked for sRGB (it converts XYB-coded
// images, i.e. all lossy ones, itself) and writes 8- or 16-bit PNM; a lossless image in another space comes with
// its ICC profile, converted later. The WASM route returns 8-bit sRGB RGBA.
// Measured on the corpus (2 cores): 16-bit P3 20.9 MP: djxl 0.9 s, WASM 6.9 s (and ~0.9 GB in its worker);
// 8-bit 1.6 MP: djxl 0.1 s, WASM 0.35 s.

import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { checkDeclaredSize, checkPixelLimit, DecoderMissingError, errorMessage, ImageDecodeError, LIMIT_INPUT_PIXELS, type DecodedPixels } from './common.js';
import { decoderMemoryBytes } from '../child-limits.js';
import { isSrgbIcc } from './icc.js';
import { parseNetpbm } from './netpbm.js';
import { findTool, runTool, withTempDir } from './tools.js';
import { decodeInWorker, wasmDecoderAvailable } from './wasm-worker.js';

export const JXL_INSTALL_HINT = 'JPEG XL needs a decoder: apt-get install libjxl-tools (djxl), or npm install @jsquash/jxl';

export async function decodeJxl(file: string, label: string): Promise<DecodedPixels> {
  const size = await readJxlSize(file);
  if (size) checkPixelLimit(size.width, size.height, label);
  const djxl = await findTool('djxl');
  if (djxl) return checkDeclaredSize(await decodeWithDjxl(djxl, file, label, size), size, label);
  if (wasmDecoderAvailable('jxl')) return checkDeclaredSize(await decodeInWorker('jxl', file, LIMIT_INPUT_PIXELS, label), size, label);
  throw new DecoderMissingError('JPEG XL', JXL_INSTALL_HINT);
}

async function decodeWithDjxl(djxl: string, file: string, label: string, size: { width: number; height: number } | null): Promise<DecodedPixels> {
  return withTempDir(async (dir) => {
    const out = path.join(dir, 'out.ppm'); // P5/P6, or P7 (PAM) when there is alpha
    const iccOut = path.join(dir, 'out.icc');
    try {
      const memory = decoderMemoryBytes(size ? size.width * size.height : null);
      await runTool(djxl, [file, out, '--color_space=RGB_D65_SRG_Rel_SRG', `--icc_out=${iccOut}`, '--quiet'], undefined, memory);
    } catch (error) {
      throw new ImageDecodeError(`${label}: ${errorMessage(error)}`);
    }
    const pixels = parseNetpbm(await readFile(out), 'djxl');
    const icc = await readFile(iccOut).catch(() => null);
    if (icc && !isSrgbIcc(icc)) pixels.icc = icc;
    return pixels;
  });
}

/**
 * Width and height from the JPEG XL SizeHeader (bare codestream or ISOBMFF container), before any
 * orientation; null when the first 64 KiB do not hold them.
 */
export async function readJxlSize(file: string): Promise<{ width: number; height: number } | null> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(65_536);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return jxlSizeFromHead(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

export function jxlSizeFromHead(head: Buffer): { width: number; height: number } | null {
  const codestream = findCodestream(head);
  if (codestream < 0 || codestream + 2 + 16 > head.length) return null;
  let bit = (codestream + 2) * 8; // after the FF 0A signature
  const read = (n: number): number => {
    let value = 0;
    for (let i = 0; i < n; i += 1, bit += 1) value += ((head[bit >> 3]! >> (bit & 7)) & 1) * 2 ** i;
    return value;
  };
  const u32 = () => read([9, 13, 18, 30][read(2)]!) + 1;
  const small = read(1) === 1;
  const height = small ? (read(5) + 1) * 8 : u32();
  const ratio = read(3);
  const RATIOS: Array<[number, number]> = [
    [1, 1],
    [12, 10],
    [4, 3],
    [3, 2],
    [16, 9],
    [5, 4],
    [2, 1],
  ];
  let width: number;
  if (ratio === 0) width = small ? (read(5) + 1) * 8 : u32();
  else {
    const [num, den] = RATIOS[ratio - 1]!;
    width = Math.floor((height * num) / den);
  }
  return { width, height };
}

function findCodestream(head: Buffer): number {
  if (head[0] === 0xff && head[1] === 0x0a) return 0;
  // Container: boxes; the codestream is in 'jxlc', or split over 'jxlp' boxes (4-byte index first).
  let pos = 0;
  while (pos + 8 <= head.length) {
    let size = head.readUInt32BE(pos);
    const type = head.toString('latin1', pos + 4, pos + 8);
    let header = 8;
    if (size === 1) {
      if (pos + 16 > head.length) return -1;
      size = Number(head.readBigUInt64BE(pos + 8));
      header = 16;
    }
    if (type === 'jxlc') return pos + header;
    if (type === 'jxlp') return pos + header + 4;
    if (size === 0 || size < header) return -1;
    pos += size;
  }
  return -1;
}
