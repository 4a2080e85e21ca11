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

/** The keys (`Family0:Family1:Name`, as unsafeTagsIn reads them) of binary values: what may be an image. */
export function binaryTagsIn(tags: Record<string, unknown>): string[] {
  return Object.keys(tags).filter((key) => typeof tags[key] === 'string' && BINARY.test(tags[key] as string));
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
