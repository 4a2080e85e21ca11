// The largest JPEG a file embeds (what RAW files carry), extracted through the process's ExifTool.

import { writeFile } from 'node:fs/promises';
import type { TagBag } from './dates.js';
import { explain, reader } from './exiftool-reader.js';

const PREVIEW_TAGS = ['JpgFromRaw', 'PreviewImage', 'OtherImage'] as const;

function binarySize(value: unknown): number {
  if (value !== null && typeof value === 'object' && 'bytes' in value) {
    const bytes = (value as { bytes?: unknown }).bytes;
    if (typeof bytes === 'number') return bytes;
  }
  if (typeof value === 'string') {
    const m = /Binary data (\d+) bytes/.exec(value);
    if (m) return Number(m[1]);
  }
  return 0;
}

function isJpeg(buf: Buffer): boolean {
  return buf.length > 4 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff;
}

/**
 * Writes the largest embedded JPEG (JpgFromRaw, PreviewImage or OtherImage — what RAW files carry) of
 * `file` to `dest`. Returns false when there is none (the small EXIF thumbnail does not count).
 */
export async function extractEmbeddedPreview(file: string, dest: string): Promise<boolean> {
  const et = reader();
  let tags: TagBag;
  try {
    // Without -fast: some previews sit in trailers that -fast skips.
    tags = (await et.read(file, { readArgs: [] })) as unknown as TagBag;
  } catch (err) {
    throw new Error(`Cannot read metadata of ${file}: ${await explain(file, err)}`, { cause: err });
  }
  const present = PREVIEW_TAGS.map((tag) => ({ tag, size: binarySize(tags[tag]) }))
    .filter((p) => p.size > 0)
    .sort((a, b) => b.size - a.size);
  for (const { tag } of present) {
    let buf: Buffer;
    try {
      buf = await et.extractBinaryTagToBuffer(tag, file);
    } catch {
      continue;
    }
    if (isJpeg(buf)) {
      await writeFile(dest, buf);
      return true;
    }
  }
  return false;
}
