// The images a visitor's copy holds inside it — a RAW's previews and thumbnails (PreviewImage, JpgFromRaw,
// ThumbnailImage, OtherImage…) — whose own metadata the copy's tags do not show: ExifTool reads a preview's EXIF
// (its GPS, the camera's serial number) only once the preview is taken out. Each is extracted and read whole; a JPEG
// that holds more than the allow-list is replaced where it lies by a copy that keeps only the allow-list, padded
// with zeros to its length (a decoder stops at the JPEG's end), so that no offset of the file moves and the RAW keeps
// its preview; what cannot be made so is named (in the server's words, never a tool's), and the copy is refused.
import fs from 'node:fs/promises';
import path from 'node:path';
import { ExifToolTask } from 'exiftool-vendored';
import { reader } from './exiftool-reader.js';
import { unsafeTagsIn } from './safe-metadata.js';

/** How ExifTool shows a binary value it did not extract (-b). */
const BINARY = /^\(Binary data \d+ bytes/;

/**
 * The keys (`Family0:Family1:Name`, as unsafeTagsIn reads them) of binary values: what may be an image. A colour
 * profile's curves never are (each extraction is an ExifTool call: they doubled a JPEG's copy, 56 → 100 ms).
 */
export function binaryTagsIn(tags: Record<string, unknown>): string[] {
  return Object.keys(tags).filter((key) => !key.startsWith('ICC_Profile:') && typeof tags[key] === 'string' && BINARY.test(tags[key] as string));
}

/** ExifTool's name for a tag of one group (`IFD0:PreviewImage`, `Canon:ThumbnailImage`, `QuickTime:PreviewImage`). Pure. */
export function tagReference(key: string): string {
  const parts = key.split(':');
  return parts.length >= 3 ? `${parts[1]}:${parts[parts.length - 1]}` : key;
}

type ImageKind = 'jpeg' | 'tiff';

/** An image by its first bytes; null for other binary data (a dust map, a colour table). Pure. */
export function imageKindOf(head: Buffer): ImageKind | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  const mark = head.toString('latin1', 0, 4);
  return mark === 'II*\0' || mark === 'MM\0*' ? 'tiff' : null;
}

/** Where `needle` lies in the open file, every place (read a MiB at a time). */
export async function placesOf(handle: fs.FileHandle, needle: Buffer): Promise<number[]> {
  const { size } = await handle.stat();
  const head = needle.subarray(0, Math.min(needle.length, 64));
  const found: number[] = [];
  const chunk = Buffer.alloc(1 << 20);
  for (let start = 0; start + needle.length <= size; start += chunk.length - head.length + 1) {
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, start);
    const view = chunk.subarray(0, bytesRead);
    for (let at = view.indexOf(head); at >= 0; at = view.indexOf(head, at + 1)) {
      const place = start + at;
      if (found.includes(place) || place + needle.length > size) continue;
      const whole = Buffer.alloc(needle.length);
      await handle.read(whole, 0, needle.length, place);
      if (whole.equals(needle)) found.push(place);
    }
    if (bytesRead < chunk.length) break;
  }
  return found;
}

/** Makes `jpeg` (a file) keep only the allow-list; false when it could not. */
export type StripJpeg = (jpeg: string) => Promise<boolean>;

/**
 * Checks every image embedded in `file` (its tags read as `tags`, -G0:1) that the tag check let through, and
 * replaces a JPEG holding more than the allow-list by `strip`'s copy of it, where it lies. Answers what is left
 * (`<tag> › <its tag>`, or `<tag> (why)`), [] when nothing. Work files go beside `file` and are removed.
 */
export async function cleanEmbeddedImages(file: string, tags: Record<string, unknown>, options: { raw: boolean }, strip: StripJpeg): Promise<string[]> {
  const left: string[] = [];
  const unsafe = new Set(unsafeTagsIn(tags, options));
  const keys = binaryTagsIn(tags).filter((key) => !unsafe.has(key));
  for (const [index, key] of keys.entries()) {
    const work = `${file}.embedded-${index}`;
    try {
      left.push(...(await cleanOne(file, key, work, strip)));
    } finally {
      await Promise.all([work, `${work}.jpg`, `${work}.jpg_exiftool_tmp`, `${work}.again`].map((name) => fs.rm(name, { force: true })));
    }
  }
  return left;
}

async function cleanOne(file: string, key: string, work: string, strip: StripJpeg): Promise<string[]> {
  const tag = tagReference(key);
  const extracted = await extract(file, tag, work);
  if ('failed' in extracted) return [`${key} (${extracted.failed})`];
  const kind = imageKindOf(extracted.bytes.subarray(0, 4));
  if (kind === null) return [];
  const unsafe = await unsafeIn(work);
  if (unsafe.length === 0) return [];
  if (kind !== 'jpeg') return unsafe.map((inner) => `${key} › ${inner}`);
  const clean = `${work}.jpg`;
  await fs.copyFile(work, clean);
  if (!(await strip(clean))) return unsafe.map((inner) => `${key} › ${inner}`);
  const replacement = await fs.readFile(clean);
  if (replacement.length > extracted.bytes.length) return [`${key} (its copy without metadata is larger than the space it has)`];
  const handle = await fs.open(file, 'r+');
  try {
    const places = await placesOf(handle, extracted.bytes);
    if (places.length === 0) return [`${key} (not found whole in the file, so it cannot be replaced)`];
    const padded = Buffer.concat([replacement, Buffer.alloc(extracted.bytes.length - replacement.length)]);
    for (const place of places) await handle.write(padded, 0, padded.length, place);
  } finally {
    await handle.close();
  }
  // read back from the file itself
  const again = await extract(file, tag, `${work}.again`);
  if ('failed' in again) return [`${key} (${again.failed})`];
  return (await unsafeIn(`${work}.again`)).map((inner) => `${key} › ${inner}`);
}

/**
 * ExifTool's `-b -W` extraction with `-u`, as the tags were read: a value ExifTool reads as unknown (a QuickTime
 * box's data, a HEIF's or CR3's MediaData) is taken out too, where extractBinaryTag found nothing and refused every HEIC.
 */
class ExtractTask extends ExifToolTask<void> {
  static for(tag: string, src: string, dest: string): ExtractTask {
    return new ExtractTask(['-charset', 'filename=utf8', '-u', '-b', `-${tag}`, '-W', path.resolve(dest), path.resolve(src)]);
  }

  protected parse(stdout: string, error?: Error): void {
    if (error) throw error;
    if (!/\b1 output files? created/i.test(stdout)) throw new Error(stdout.trim() || 'nothing extracted');
  }
}

async function extract(file: string, tag: string, dest: string): Promise<{ bytes: Buffer } | { failed: string }> {
  // the names ExifTool gives (`Group:Name`), never an option
  if (!/^[\w-]+:[\w-]+$/.test(tag)) return { failed: 'its name is not a tag' };
  try {
    await reader().enqueueTask(() => ExtractTask.for(tag, file, dest), false);
    return { bytes: await fs.readFile(dest) };
  } catch {
    return { failed: 'ExifTool could not extract it' };
  }
}

/** What an extracted image holds beyond the allow-list (every tag, embedded ones too). */
async function unsafeIn(image: string): Promise<string[]> {
  try {
    return unsafeTagsIn(await reader().readRaw(image, { readArgs: ['-a', '-u', '-G0:1', '-ee', '-s'] }), { raw: false });
  } catch {
    return ['its tags could not be read'];
  }
}

/** How much of an unnamed JPEG is read for its headers (APPn segments are at most 64 KiB each). */
const JPEG_HEAD = 1 << 20;
/** Unnamed JPEGs checked in one RAW; more refuses the copy. */
const UNNAMED_MAX = 64;

/** An APPn segment kept: JFIF, the ICC profile (the allow-list keeps it), Adobe's colour transform. Pure. */
function keptSegment(marker: number, body: Buffer): boolean {
  if (marker === 0xe2) return body.toString('latin1', 0, 12) === 'ICC_PROFILE\0';
  if (marker === 0xee) return body.toString('latin1', 0, 5) === 'Adobe';
  return false;
}

/**
 * The segments of the JPEG at the start of `head` that may hold metadata (APP1–APP15 but the ICC profile and Adobe's,
 * comments), each as where it lies and its length, marker included; null when the headers run past `head`. Pure.
 */
export function metadataSegments(head: Buffer): { at: number; length: number }[] | null {
  const found: { at: number; length: number }[] = [];
  for (let at = 2; at + 4 <= head.length;) {
    if (head[at] !== 0xff) return found; // not a marker: the headers end
    const marker = head[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return found; // the picture's data, or the end
    const end = at + 2 + head.readUInt16BE(at + 2);
    if (end > head.length) return null;
    if (((marker >= 0xe1 && marker <= 0xef) || marker === 0xfe) && !keptSegment(marker, head.subarray(at + 4, end))) found.push({ at, length: end - at });
    at = end;
  }
  return null;
}

/**
 * The JPEGs a RAW holds that no tag names (a DNG's first image stored as JPEG strips, an unknown IFD's), found by their
 * first bytes: one whose headers hold more than the allow-list has those segments turned into blank comments of the
 * same length, where they lie (no offset moves; the picture stays). Answers what is left (`a JPEG at byte N › tag`).
 */
export async function cleanUnnamedJpegs(file: string): Promise<string[]> {
  const work = `${file}.unnamed.jpg`;
  const handle = await fs.open(file, 'r+');
  try {
    // a RAW starts with its TIFF header: a JPEG at 0 is the file itself, which the tags already said all of
    const starts = (await placesOf(handle, Buffer.from([0xff, 0xd8, 0xff]))).filter((at) => at > 0);
    if (starts.length > UNNAMED_MAX) return [`${starts.length} images embedded in it (more than ${UNNAMED_MAX} cannot be checked)`];
    const left: string[] = [];
    for (const at of starts) {
      const head = Buffer.alloc(JPEG_HEAD);
      const { bytesRead } = await handle.read(head, 0, JPEG_HEAD, at);
      const unsafe = await unsafeInHead(head.subarray(0, bytesRead), work);
      if (unsafe.length === 0) continue;
      const segments = metadataSegments(head.subarray(0, bytesRead));
      if (segments === null) {
        left.push(`a JPEG at byte ${at} (its headers run past ${JPEG_HEAD} bytes)`);
        continue;
      }
      for (const segment of segments) {
        const blank = Buffer.alloc(segment.length);
        blank.writeUInt16BE(0xffef, 0);
        blank.writeUInt16BE(segment.length - 2, 2);
        await handle.write(blank, 0, blank.length, at + segment.at);
      }
      const { bytesRead: again } = await handle.read(head, 0, JPEG_HEAD, at);
      left.push(...(await unsafeInHead(head.subarray(0, again), work)).map((inner) => `a JPEG at byte ${at} › ${inner}`));
    }
    return left;
  } finally {
    await handle.close();
    await fs.rm(work, { force: true });
  }
}

/** What the JPEG whose first bytes are `head` holds beyond the allow-list; [] for bytes ExifTool cannot read as one. */
async function unsafeInHead(head: Buffer, work: string): Promise<string[]> {
  await fs.writeFile(work, head);
  try {
    const tags: Record<string, unknown> = await reader().readRaw(work, { readArgs: ['-a', '-u', '-G0:1', '-s'] });
    return tags['File:FileType'] === 'JPEG' ? unsafeTagsIn(tags, { raw: false }) : [];
  } catch {
    return []; // three bytes that only look like a JPEG's start
  }
}
