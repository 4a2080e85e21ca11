// A copy of an image that keeps only what is known to be safe (./safe-metadata.ts): what share-link visitors download
// unless the owner lets the link keep its metadata. ExifTool deletes every tag and copies back the allow-list
// (`-all= -tagsFromFile @ …`, the ICC profile never deleted); with them go EXIF thumbnails, IPTC, XMP of every
// namespace, maker notes, comments and JPEG trailers (a motion photo's video). Then the container keeps only its known
// parts (./container-parts.ts: a HEIF motion photo's `mpvd` box, a private PNG or WebP chunk go). A camera RAW keeps
// its EXIF and maker notes, which its decoders read, without GPS, places, serial numbers, owners' and faces' names or
// free text; the images it embeds (previews, thumbnails), which carry metadata of their own, are each taken out and
// read, and one holding more than the allow-list is replaced by its copy that keeps only it (./embedded-images.ts).
// The copy is read back after (every tag, unknown and embedded ones too): one that holds anything else is refused,
// never given away.
import { keepKnownParts } from './container-parts.js';
import { errorMessage } from './decoders/common.js';
import { cleanEmbeddedImages, cleanUnnamedJpegs } from './embedded-images.js';
import { reader } from './exiftool-reader.js';
import { KEPT_TAGS, RAW_DELETED_TAGS, unsafeTagsIn } from './safe-metadata.js';

/**
 * Stripped, or why not: the tags left, and the reason in the server's own words (what a link's visitor may be told,
 * never a tool's output); `detail`, the tool's own words, is for the log.
 */
export type StripResult = { stripped: true } | { stripped: false; left: string[]; reason: string; detail?: string };

/** A tool's error, its first line, for the log. */
export const toolDetail = (error: unknown): string => errorMessage(error).split('\n')[0]!.slice(0, 300);

/** ExifTool's arguments for the copy, after `-all=` (pure). */
export function stripArgs(options: { raw: boolean }): string[] {
  const copyBack = ['-tagsFromFile', '@', ...KEPT_TAGS.filter((tag) => !options.raw || tag.startsWith('XMP')).map((tag) => `-${tag}`)];
  if (!options.raw) return ['--ICC_Profile:all', ...copyBack];
  // a RAW: everything but its EXIF and maker notes (in which rawDeletionArgs deleted what says where, who, with which device)
  return ['--EXIF:all', '--MakerNotes:all', '--ICC_Profile:all', ...copyBack];
}

/**
 * What a RAW's copy deletes by name, in a pass of its own before the one with `-all=` (pure): in that one,
 * `--EXIF:all` excludes the GPS group from `-GPS:all=` too (measured: a CR2's GPS stayed, "Excluding from deletion: GPS").
 */
export function rawDeletionArgs(): string[] {
  return RAW_DELETED_TAGS.map((tag) => `-${tag}=`);
}

/**
 * Leaves in `file` only the allow-listed metadata: give it a copy, never an original. `raw`: a camera RAW.
 * Stripped, or why not with the tags that are left.
 */
export async function stripImage(file: string, options: { raw: boolean }): Promise<StripResult> {
  const tool = reader();
  let reason = 'ExifTool left them';
  let detail: string | undefined;
  const write = { useMWG: false, ignoreMinorErrors: true };
  try {
    if (options.raw) await tool.write(file, {}, { writeArgs: ['-overwrite_original', ...rawDeletionArgs()], ...write });
    // `all: null` is `-all=`, first: what follows excludes from it and copies back
    await tool.write(file, { all: null } as never, { writeArgs: ['-overwrite_original', ...stripArgs(options)], ...write });
  } catch (error) {
    // a format ExifTool does not write (BMP), or a file it cannot parse: fine when there was nothing to remove
    reason = 'ExifTool could not rewrite it';
    detail = toolDetail(error);
  }
  const parts = await keepKnownParts(file);
  if ('refused' in parts) return { stripped: false, left: [], reason: parts.refused, ...(parts.detail ? { detail: parts.detail } : {}) };
  // every tag, unknown ones and those of embedded documents too (-ee: MPF images, motion-photo videos)
  let tags: Record<string, unknown>;
  try {
    tags = await tool.readRaw(file, { readArgs: ['-a', '-u', '-G0:1', '-ee', '-s'] });
  } catch (error) {
    return { stripped: false, left: [], reason: 'ExifTool could not read the copy back', detail: toolDetail(error) };
  }
  const left = unsafeTagsIn(tags, options);
  // a preview's own GPS is not among the file's tags: each embedded image is read, and made safe where it lies
  const inside = await cleanEmbeddedImages(file, tags, options, async (jpeg) => (await stripImage(jpeg, { raw: false })).stripped);
  // and those no tag names (a DNG's first image as JPEG strips): before, given out with their own GPS
  if (options.raw) inside.push(...(await cleanUnnamedJpegs(file)));
  if (inside.length > 0) {
    left.push(...inside);
    reason = 'an image embedded in it holds them';
  }
  return left.length === 0 ? { stripped: true } : { stripped: false, left, reason, ...(detail ? { detail } : {}) };
}
