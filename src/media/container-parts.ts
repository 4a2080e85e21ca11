// The parts of an image's container that a visitor's copy keeps: PNG chunks, WebP (RIFF) chunks, HEIF/AVIF boxes and
// JPEG XL boxes of the kinds that hold the picture, its colours or the metadata ExifTool rewrote from the allow-list
// (./safe-metadata.ts). ExifTool leaves parts it does not know where they are — a Samsung motion photo's `mpvd` box
// holding its video, a private PNG chunk, a WebP chunk of a camera app's — so every other part goes. JPEG needs
// none of this: ExifTool's `-all=` drops its unknown segments and whatever follows the image.
import fs from 'node:fs/promises';

export type ContainerKind = 'png' | 'riff' | 'bmff' | 'jxl';

export interface Part {
  type: string;
  offset: number;
  /** The whole part, its header included. */
  size: number;
}

const KEPT: Record<ContainerKind, ReadonlySet<string>> = {
  // the picture, its palette, transparency, colour (gamma, primaries, sRGB, ICC, CICP, HDR), density, animation; eXIf as rewritten
  png: new Set([
    'IHDR',
    'PLTE',
    'IDAT',
    'IEND',
    'tRNS',
    'gAMA',
    'cHRM',
    'sRGB',
    'iCCP',
    'sBIT',
    'bKGD',
    'pHYs',
    'acTL',
    'fcTL',
    'fdAT',
    'cICP',
    'mDCv',
    'cLLi',
    'eXIf',
  ]),
  riff: new Set(['VP8 ', 'VP8L', 'VP8X', 'ALPH', 'ANIM', 'ANMF', 'ICCP', 'EXIF', 'XMP ']),
  // items and their data (the item locations point into the file: nothing before the data may move)
  bmff: new Set(['ftyp', 'meta', 'mdat', 'moov', 'free', 'skip', 'wide']),
  // the codestream and its level and index; Exif and XMP as rewritten
  jxl: new Set(['JXL ', 'ftyp', 'jxll', 'jxli', 'jxlc', 'jxlp', 'Exif', 'xml ']),
};

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JXL_SIGNATURE = Buffer.from([0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20, 0x0d, 0x0a, 0x87, 0x0a]);

/** The container an image's first 16 bytes say it is in; null for one this module does not walk (JPEG, TIFF, GIF…). */
export function containerOf(head: Buffer): ContainerKind | null {
  if (head.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return 'riff';
  if (head.subarray(0, 12).equals(JXL_SIGNATURE)) return 'jxl';
  if (head.toString('latin1', 4, 8) === 'ftyp') return 'bmff';
  return null;
}

/**
 * Which parts stay. Pure. A HEIF's item locations are offsets in the file, so an unknown box may go only from the
 * end: one before a kept box refuses the copy (it cannot be made safely).
 */
export function keptParts(kind: ContainerKind, parts: Part[]): { keep: Part[]; dropped: string[] } | { refused: string } {
  const kept = KEPT[kind];
  if (kind === 'bmff') {
    const lastKept = parts.findLastIndex((part) => kept.has(part.type));
    const inside = parts.slice(0, lastKept + 1).find((part) => !kept.has(part.type));
    if (inside) return { refused: `an unknown box (${JSON.stringify(inside.type)}) lies before the image data` };
  }
  return { keep: parts.filter((part) => kept.has(part.type)), dropped: parts.filter((part) => !kept.has(part.type)).map((part) => part.type) };
}

/** The parts of the file, walked by their headers (only the headers are read). */
export async function readParts(handle: fs.FileHandle, kind: ContainerKind, fileSize: number): Promise<Part[]> {
  const parts: Part[] = [];
  const header = Buffer.alloc(16);
  let offset = kind === 'png' ? 8 : kind === 'riff' ? 12 : 0;
  while (offset < fileSize) {
    const { bytesRead } = await handle.read(header, 0, 16, offset);
    if (bytesRead < 8) throw new Error(`a part cut short at byte ${offset}`);
    let type: string;
    let size: number;
    if (kind === 'png') {
      type = header.toString('latin1', 4, 8);
      size = 12 + header.readUInt32BE(0);
    } else if (kind === 'riff') {
      type = header.toString('latin1', 0, 4);
      const length = header.readUInt32LE(4);
      size = 8 + length + (length % 2);
    } else {
      type = header.toString('latin1', 4, 8);
      const short = header.readUInt32BE(0);
      size = short === 0 ? fileSize - offset : short === 1 && bytesRead >= 16 ? Number(header.readBigUInt64BE(8)) : short;
    }
    if (size < 8 || offset + size > fileSize) throw new Error(`a part (${JSON.stringify(type)}) runs past the end of the file`);
    parts.push({ type, offset, size });
    offset += size;
  }
  return parts;
}

/**
 * Rewrites `file` (a visitor's copy, never an original) with only the parts its container's list keeps. Answers
 * the kinds dropped, or why the copy cannot be made.
 */
export async function keepKnownParts(file: string): Promise<{ dropped: string[] } | { refused: string; detail?: string }> {
  const handle = await fs.open(file, 'r');
  let plan: ReturnType<typeof keptParts>;
  let kind: ContainerKind | null;
  let lead: Buffer;
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(16);
    await handle.read(head, 0, 16, 0);
    kind = containerOf(head);
    if (kind === null) return { dropped: [] };
    lead = head.subarray(0, kind === 'png' ? 8 : kind === 'riff' ? 12 : 0);
    try {
      plan = keptParts(kind, await readParts(handle, kind, size));
    } catch (error) {
      return { refused: 'its container could not be read', detail: (error as Error).message };
    }
    if ('refused' in plan || plan.dropped.length === 0) return 'refused' in plan ? plan : { dropped: [] };
    const output = `${file}.parts`;
    const out = await fs.open(output, 'wx');
    try {
      const start = Buffer.from(lead);
      // RIFF's own size is of everything after its first 8 bytes
      if (kind === 'riff') start.writeUInt32LE(4 + plan.keep.reduce((sum, part) => sum + part.size, 0), 4);
      await out.write(start);
      const chunk = Buffer.alloc(1 << 20);
      for (const part of plan.keep) {
        for (let done = 0; done < part.size;) {
          const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, part.size - done), part.offset + done);
          if (bytesRead === 0) throw new Error('the file changed while it was copied');
          await out.write(chunk.subarray(0, bytesRead));
          done += bytesRead;
        }
      }
    } finally {
      await out.close();
    }
    await fs.rename(output, file);
    return { dropped: plan.dropped };
  } finally {
    await handle.close();
  }
}
