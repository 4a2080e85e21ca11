// How a file stores its pixels and what its tags say of its making (model/file-facts.ts), from the tags ExifTool read
// (./exiftool-reader.ts asks it for the maker notes' block too). Pure. ExifTool reads the format from the bytes, not
// the name: a WebP's chunk says lossless (VP8L) or lossy (VP8), a TIFF's Compression tag, a PNG's colour type and
// depth, a HEIF's or AVIF's pixel depth. HEIF, AVIF and JPEG XL say nothing reliable of a lossless encoding: no claim.
import { withoutControls } from '../base/text.js';
import type { Encoding, Lineage } from '../model/file-facts.js';
import type { TagBag } from './dates.js';

export type { Encoding, Lineage };

const UNKNOWN: Encoding = { lossless: null, bitDepth: null };

/** TIFF compressions that keep every pixel (ExifTool's names). */
const LOSSLESS_TIFF = /^(uncompressed|lzw|(adobe )?deflate|packbits|ccitt|t[46]\/group|zstandard|zstd|lzma|jbig)/i;
/** TIFF compressions that lose some (JPEG in any of its TIFF forms, WebP, JPEG XL in a DNG-like TIFF). */
const LOSSY_TIFF = /jpeg|webp|jxl/i;

/**
 * A tag's text without control characters, or null: noise in a name or an id, as in every other tag's text
 * (./metadata-tags.ts). ExifTool's JSON drops a NUL itself, which PostgreSQL's jsonb would refuse.
 */
function text(value: unknown): string | null {
  if (Array.isArray(value)) value = value[0];
  if (typeof value === 'number') return String(value);
  const s = typeof value === 'string' ? withoutControls(value) : '';
  return s === '' ? null : s;
}

/** The first number of a value such as 8, "16 16 16" or "10 10 10", when it is a plausible depth. */
function depth(value: unknown): number | null {
  const first = /^\d{1,2}/.exec(text(value) ?? '');
  const n = first ? Number(first[0]) : NaN;
  return n >= 1 && n <= 32 ? n : null;
}

/** How the file stores its pixels, as its own structure says; unknown for a format that may be either. */
export function encodingOf(tags: TagBag): Encoding {
  const type = (text(tags.FileType) ?? '').toUpperCase();
  if (type === 'JPEG') return { lossless: false, bitDepth: depth(tags.BitsPerSample) ?? 8 };
  if (type === 'PNG' || type === 'APNG') {
    // a palette is at most 256 colours: a drawing kept whole, or a photo reduced (pngquant): no claim
    if (/palette/i.test(text(tags.ColorType) ?? '')) return UNKNOWN;
    return { lossless: true, bitDepth: depth(tags.BitDepth) };
  }
  if (type.includes('WEBP')) {
    if (type.includes('LOSSLESS')) return { lossless: true, bitDepth: 8 };
    return tags.VP8Version !== undefined ? { lossless: false, bitDepth: 8 } : UNKNOWN;
  }
  if (type === 'TIFF') {
    const compression = text(tags.Compression) ?? '';
    const lossless = LOSSY_TIFF.test(compression) ? false : LOSSLESS_TIFF.test(compression) ? true : null;
    return { lossless, bitDepth: depth(tags.BitsPerSample) };
  }
  if (type === 'HEIC' || type === 'HEIF' || type === 'AVIF') return { lossless: null, bitDepth: depth(tags.ImagePixelDepth) ?? depth(tags.BitDepthLuma) };
  if (type === 'BMP' || /^P[BGPNA]M$/.test(type)) return { lossless: true, bitDepth: null };
  return UNKNOWN;
}

/**
 * What the format alone says, for a photo whose file facts were not read yet (stored before they were): a JPEG is
 * lossy; a PNG, a TIFF or a BMP is taken as lossless (a palette PNG or a JPEG in a TIFF is rare among photos, and
 * the claim only keeps a file); anything else, no claim.
 */
export function encodingByFormat(mime: string): Encoding {
  if (mime === 'image/jpeg') return { lossless: false, bitDepth: 8 };
  if (mime === 'image/png' || mime === 'image/apng' || mime === 'image/tiff' || mime === 'image/bmp') return { lossless: true, bitDepth: null };
  return UNKNOWN;
}

/** Distinct values, each at most 200 characters, at most `cap` of them (a history can be thousands of entries long). */
function distinct(values: readonly unknown[], cap: number): string[] {
  const out: string[] = [];
  for (const value of values) {
    const s = text(value)?.slice(0, 200);
    if (s && !out.includes(s)) out.push(s);
    if (out.length === cap) break;
  }
  return out;
}

/**
 * A binary block as exiftool-vendored gives it (its size, not its bytes): the maker notes' is named by its maker
 * (MakerNoteCanon, MakerNoteApple…, MakerNoteUnknown), read only when asked for (./exiftool-reader.ts).
 */
const binary = (value: unknown): boolean =>
  (typeof value === 'string' && value.startsWith('(Binary data')) || (value !== null && typeof value === 'object' && 'bytes' in value);
const struct = (value: unknown): TagBag | null => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as TagBag) : null);
const id = (value: unknown): string | null => text(value)?.slice(0, 200) ?? null;

/** What the file's own tags say of its making (a sidecar's speak of the sidecar's writer, not of the picture). */
export function lineageOf(tags: TagBag): Lineage {
  const history = Array.isArray(tags.History) ? tags.History : tags.History === undefined ? [] : [tags.History];
  const agents = [
    ...history.map((entry) => struct(entry)?.SoftwareAgent),
    ...(Array.isArray(tags.HistorySoftwareAgent) ? tags.HistorySoftwareAgent : [tags.HistorySoftwareAgent]),
  ];
  const derived = struct(tags.DerivedFrom);
  return {
    makerNotes: Object.entries(tags).some(([name, value]) => name.startsWith('MakerNote') && binary(value)),
    software: distinct([tags.Software, tags.CreatorTool, ...agents], 8),
    documentId: id(tags.DocumentID),
    instanceId: id(tags.InstanceID),
    originalDocumentId: id(tags.OriginalDocumentID),
    derivedFrom: distinct([derived?.DocumentID ?? tags.DerivedFromDocumentID, derived?.InstanceID ?? tags.DerivedFromInstanceID], 2),
  };
}
