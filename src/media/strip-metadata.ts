// A copy of an original without where it was taken or with which camera body and lens: what share-link visitors
// download unless the owner keeps it. ExifTool removes every GPS tag (EXIF, XMP, any group), place names (IPTC and
// XMP city, state, country, sublocation, location structures), serial numbers (body, lens, internal), owner names,
// maker notes (where makers keep serial numbers in forms that are not edited one by one; not in RAW files, whose
// maker notes their decoders need) and JPEG trailers (an embedded motion-photo video carries its own location).
// The copy is read back after: a file that still says where or with what (a format ExifTool cannot write, a RAW
// maker note) is refused, never given away.
import { reader } from './exiftool-reader.js';

/** Tags deleted (ExifTool's `-TAG=`); wildcards reach every group. */
export const PRIVATE_TAGS = [
  'GPS*',
  '*SerialNumber*',
  'OwnerName',
  'IPTC:City',
  'IPTC:Sub-location',
  'IPTC:Province-State',
  'IPTC:Country-PrimaryLocationCode',
  'IPTC:Country-PrimaryLocationName',
  'XMP-photoshop:City',
  'XMP-photoshop:State',
  'XMP-photoshop:Country',
  'XMP-iptcCore:Location',
  'XMP-iptcCore:CountryCode',
  'XMP-iptcExt:LocationCreated',
  'XMP-iptcExt:LocationShown',
] as const;

/** Also deleted from a file that is not a camera RAW. */
const NOT_IN_RAW = ['MakerNotes:All', 'Trailer:All'] as const;

const PRIVATE_NAME = /^(GPS.*|.*SerialNumber.*|(Camera)?OwnerName|City|State|Province-State|Country|CountryCode|Country-PrimaryLocation(Code|Name)|Sub-?location|Location.*)$/i;
const NOT_METADATA = new Set(['SourceFile', 'System', 'ExifTool', 'File']);

/**
 * The tags (`Group:Name`, from ExifTool's `-G1` output) that still say where a photo was taken or with which body,
 * lens or owner; [] when none. Pure: the rule the copy is checked with.
 */
export function privateTagsIn(tags: Record<string, unknown>): string[] {
  return Object.keys(tags).filter((key) => {
    const [group, name] = key.includes(':') ? [key.slice(0, key.lastIndexOf(':')), key.slice(key.lastIndexOf(':') + 1)] : ['', key];
    return !NOT_METADATA.has(group) && !NOT_METADATA.has(key) && PRIVATE_NAME.test(name);
  });
}

export type StripResult = { stripped: true } | { stripped: false; left: string[]; reason: string };

/**
 * Removes location and serial numbers from `file` in place: give it a copy, never an original. `raw`: a camera RAW
 * (maker notes stay). Stripped, or why not with the tags that are left.
 */
export async function stripPrivateMetadata(file: string, options: { raw: boolean }): Promise<StripResult> {
  const tool = reader();
  const tags: Record<string, null> = {};
  for (const tag of [...PRIVATE_TAGS, ...(options.raw ? [] : NOT_IN_RAW)]) tags[tag] = null;
  let reason = 'ExifTool left them';
  try {
    await tool.write(file, tags as never, { writeArgs: ['-overwrite_original'], useMWG: false });
  } catch (error) {
    // a format ExifTool does not write (BMP), or a file it cannot parse: fine when there was nothing to remove
    reason = error instanceof Error ? error.message.split('\n')[0]!.replace(file, 'the file') : String(error);
  }
  // every tag, in embedded documents too (-ee: MPF images, motion-photo videos), not only before the image data
  const left = privateTagsIn(await tool.readRaw(file, { readArgs: ['-a', '-G1', '-ee', '-s'] }));
  return left.length === 0 ? { stripped: true } : { stripped: false, left, reason };
}
