// HEIC / HEIF (incl. Samsung and Apple motion photos). sharp's prebuilt libvips has libheif without an HEVC
// decoder ("bad seek"), so HEIC never goes through sharp. Two routes:
//
// - npm only: libheif in WebAssembly (heic-decode's libheif-js) in a worker thread, full size, 8-bit RGBA.
// - faster where Debian's libvips-tools is installed: `vips copy` decodes full size to a .v file that sharp reads;
//   the renditions and the stored pixels (PDQ) both come from that one decode.
//   Measured, 12 MP corpus HEICs: full decode WASM ~0.7 s, `vips copy` ~0.35 s (vipsthumbnail to preview size
//   0.45–0.53 s end to end, which PDQ's full-size pixels would have needed on top).
//
// Both apply the container's rotation/mirroring (irot/imir), so pixels come upright and the EXIF Orientation
// inside a HEIC must not be applied again. On the WASM route the colour profile (Display P3 on iPhones) is
// read from the container and handed on, so that renditions are converted to sRGB; .v files carry it.

import path from 'node:path';
import { LIMIT_INPUT_PIXELS, type DecodedPixels } from './common.js';
import { checkHeifComplete, readHeifColour } from './heif-container.js';
import { displayP3Icc, isSrgbIcc } from './icc.js';
import { findTool, runTool } from './tools.js';
import { decodeInWorker } from './wasm-worker.js';

/** nclx colour primaries (ISO/IEC 23091-2) that mean Display P3 / DCI-P3. */
const P3_PRIMARIES = new Set([11, 12]);

/** Full-size decode in WebAssembly (always available with the npm dependencies). */
export async function decodeHeif(file: string, label: string): Promise<DecodedPixels> {
  await checkHeifComplete(file, label);
  const [colour, pixels] = await Promise.all([
    readHeifColour(file).catch(() => ({}) as Awaited<ReturnType<typeof readHeifColour>>),
    decodeInWorker('heic', file, LIMIT_INPUT_PIXELS, label),
  ]);
  if (colour.icc && !isSrgbIcc(colour.icc)) pixels.icc = colour.icc;
  else if (!colour.icc && colour.nclx && P3_PRIMARIES.has(colour.nclx.primaries)) pixels.icc = await displayP3Icc();
  return pixels;
}

/** Full-size upright decode as a libvips .v file in `dir`; null when `vips` is not installed or fails. */
export async function heifFullWithVips(file: string, dir: string, label: string): Promise<string | null> {
  const tool = await findTool('vips');
  if (!tool) return null;
  await checkHeifComplete(file, label);
  const out = path.join(dir, 'heif-full.v');
  try {
    await runTool(tool, ['copy', file, out]);
    return out;
  } catch {
    return null;
  }
}
