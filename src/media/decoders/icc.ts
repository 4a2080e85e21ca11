// ICC profile helpers for decoded pixels. sharp converts an image with an embedded profile to sRGB, but raw
// pixel input cannot carry one; so pixels in another space (Display P3 from an iPhone HEIC…) are wrapped in a
// PNG with an iCCP chunk and read back through sharp, which then converts them like any tagged file.

import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** The profile's description ('desc' tag, ICC v2 'desc' or v4 'mluc'), or null. */
export function iccDescription(icc: Buffer): string | null {
  if (icc.length < 132) return null;
  const count = icc.readUInt32BE(128);
  for (let i = 0; i < count && 132 + i * 12 + 12 <= icc.length; i += 1) {
    const at = 132 + i * 12;
    if (icc.toString('latin1', at, at + 4) !== 'desc') continue;
    const offset = icc.readUInt32BE(at + 4);
    const size = icc.readUInt32BE(at + 8);
    if (offset + size > icc.length || size < 12) return null;
    const type = icc.toString('latin1', offset, offset + 4);
    if (type === 'desc') {
      const length = icc.readUInt32BE(offset + 8);
      return icc.toString('latin1', offset + 12, Math.min(offset + 12 + length, offset + size)).replace(/\0+$/, '');
    }
    if (type === 'mluc' && size >= 28) {
      const length = icc.readUInt32BE(offset + 20);
      const start = offset + icc.readUInt32BE(offset + 24);
      if (start + length > icc.length) return null;
      const utf16be = Buffer.from(icc.subarray(start, start + length));
      return utf16be.swap16().toString('utf16le').replace(/\0+$/, '');
    }
    return null;
  }
  return null;
}

/** True for profiles that describe sRGB (so converting would change nothing worth the time). */
export function isSrgbIcc(icc: Buffer): boolean {
  const description = iccDescription(icc);
  if (!description) return false;
  // "sRGB IEC61966-2.1", "sRGB built-in"…; libjxl names its profiles RGB_D65_SRG_Rel_SRG (primaries, transfer).
  return /^sRGB\b/i.test(description) || /^(RGB|Gra)_D65_(SRG_)?(Rel|Per|Sat|Abs)_SRG$/.test(description);
}

let p3: Promise<Buffer> | undefined;

/** A Display P3 profile (sharp's built-in one), for HEIF files that say "P3" with nclx codes only. */
export function displayP3Icc(): Promise<Buffer> {
  p3 ??= sharp({ create: { width: 1, height: 1, channels: 3, background: '#808080' } })
    .withIccProfile('p3')
    .png()
    .toBuffer()
    .then(async (png) => {
      const { icc } = await sharp(png).metadata();
      if (!icc) throw new Error('sharp did not attach its P3 profile');
      return icc;
    });
  return p3;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A PNG chunk: length, type, data, CRC. */
export function pngChunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const chunk = Buffer.alloc(body.length + 8);
  chunk.writeUInt32BE(data.length, 0);
  body.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(body), body.length + 4);
  return chunk;
}

/** The PNG with an iCCP chunk holding `icc` inserted after IHDR (the PNG must have no colour chunks). */
export function pngWithIcc(png: Buffer, icc: Buffer): Buffer {
  const ihdrEnd = 8 + 8 + png.readUInt32BE(8) + 4;
  const payload = Buffer.concat([Buffer.from('icc\0\0', 'latin1'), deflateSync(icc)]);
  return Buffer.concat([png.subarray(0, ihdrEnd), pngChunk('iCCP', payload), png.subarray(ihdrEnd)]);
}
