// PNG metadata chunks too big to read. ExifTool inflates a compressed text chunk (zTXt, iTXt, iCCP) whole, with no
// limit, and returns its text: a 500 KB PNG whose comment inflates to 500 MB took it to 2 GB of memory and would
// have sent the server a 500 MB answer. So before ExifTool reads a PNG, its chunks are listed (headers only) and
// every metadata chunk is checked against MAX_PNG_TEXT_BYTES, compressed ones by inflating them with a cap on the
// output; the chunks over it are left out of the copy ExifTool reads, and the metadata step says which.

import { createWriteStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { promisify } from 'node:util';
import { inflate } from 'node:zlib';

const inflateAsync = promisify(inflate);

/** Largest PNG metadata chunk read, after inflating: the XMP sidecar's cap. */
export const MAX_PNG_TEXT_BYTES = 4 * 1024 * 1024;

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Pixel data: ExifTool skips these without reading them. */
const IMAGE_DATA = new Set(['IDAT', 'fdAT', 'JDAT', 'JDAA']);

export interface SkippedChunk {
  type: string;
  /** Byte offset of the chunk (its length field) in the file. */
  offset: number;
  /** Bytes the chunk takes in the file, header and CRC included. */
  size: number;
  /** Why, in words: "zTXt chunk “Comment” inflates to more than 4 MB". */
  reason: string;
}

/** Where the compressed bytes of a zTXt, iTXt or iCCP chunk start; null when it holds no compressed data. */
export function compressedStart(type: string, data: Buffer): number | null {
  const nul = data.indexOf(0);
  if (nul < 0) return null;
  if (type === 'zTXt' || type === 'iCCP') return nul + 2; // keyword \0, method
  if (type !== 'iTXt' || data[nul + 1] !== 1) return null; // keyword \0, compressed flag, method, lang \0, translated \0
  const lang = data.indexOf(0, nul + 3);
  const translated = lang < 0 ? -1 : data.indexOf(0, lang + 1);
  return translated < 0 ? null : translated + 1;
}

const keywordOf = (data: Buffer) => {
  const nul = data.indexOf(0);
  return data.toString('latin1', 0, nul < 0 ? Math.min(data.length, 79) : Math.min(nul, 79));
};

async function inflatesOver(compressed: Buffer, limit: number): Promise<boolean> {
  try {
    await inflateAsync(compressed, { maxOutputLength: limit });
    return false;
  } catch (error) {
    // Past the cap: RangeError ERR_BUFFER_TOO_LARGE. Damaged data is ExifTool's to report.
    return (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError;
  }
}

const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

/**
 * The metadata chunks of a PNG that are too big to read (listed from the chunk headers; compressed ones inflated
 * up to the limit). Null when the file is not a PNG.
 */
export async function oversizedPngChunks(file: string, limit = MAX_PNG_TEXT_BYTES): Promise<SkippedChunk[] | null> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(8);
    if ((await handle.read(head, 0, 8, 0)).bytesRead < 8 || !head.equals(SIGNATURE)) return null;
    const { size: fileSize } = await handle.stat();
    const skipped: SkippedChunk[] = [];
    for (let pos = 8; pos + 8 <= fileSize;) {
      await readFully(handle, head, pos);
      const length = head.readUInt32BE(0);
      const type = head.toString('latin1', 4, 8);
      const size = 12 + length;
      if (!IMAGE_DATA.has(type)) {
        const name = (data?: Buffer) => (data ? `${type} chunk “${keywordOf(data)}”` : `${type} chunk`);
        if (length > limit) {
          skipped.push({ type, offset: pos, size, reason: `${name()} of ${mb(length)} is over the ${mb(limit)} limit` });
        } else if (type === 'zTXt' || type === 'iTXt' || type === 'iCCP') {
          const data = Buffer.alloc(Math.min(length, Math.max(0, fileSize - pos - 8)));
          await readFully(handle, data, pos + 8);
          const start = compressedStart(type, data);
          if (start !== null && (await inflatesOver(data.subarray(start), limit))) {
            skipped.push({ type, offset: pos, size, reason: `${name(data)} inflates to more than ${mb(limit)}` });
          }
        }
      }
      if (type === 'IEND') break;
      pos += size;
    }
    return skipped;
  } finally {
    await handle.close();
  }
}

async function readFully(handle: FileHandle, buffer: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buffer.length) {
    const { bytesRead } = await handle.read(buffer, done, buffer.length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
}

/** Writes a copy of the PNG `file` to `dest` without the chunks in `skip` (streamed, in file order). */
export async function copyPngWithout(file: string, dest: string, skip: readonly SkippedChunk[]): Promise<void> {
  const handle = await open(file, 'r');
  const out = createWriteStream(dest);
  try {
    const { size } = await handle.stat();
    const ranges: Array<[number, number]> = [];
    let pos = 0;
    for (const chunk of [...skip].sort((a, b) => a.offset - b.offset)) {
      if (chunk.offset > pos) ranges.push([pos, chunk.offset]);
      pos = Math.max(pos, chunk.offset + chunk.size);
    }
    if (pos < size) ranges.push([pos, size]);
    const block = Buffer.alloc(1024 * 1024);
    for (const [start, end] of ranges) {
      for (let at = start; at < end;) {
        const { bytesRead } = await handle.read(block, 0, Math.min(block.length, end - at), at);
        if (bytesRead === 0) break;
        if (!out.write(Buffer.from(block.subarray(0, bytesRead)))) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        at += bytesRead;
      }
    }
  } catch (error) {
    out.destroy();
    throw error;
  } finally {
    await handle.close();
  }
  out.end();
  await finished(out);
}
