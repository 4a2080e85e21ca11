// What a file is, from its first bytes (never its name): file-type's signatures, refined for the cases that
// matter to a photo library — TIFF-based RAW files, HEIF brands that are really AVIF or HEIC — and a plain
// description of anything that is not a supported image ("empty file", "text file", "PDF document"…).

import { open } from 'node:fs/promises';
import { fileTypeFromBuffer } from 'file-type';

export interface DetectedType {
  mime: string;
  /** Usual file extension, without the dot. */
  ext: string;
  /** True for the image and video formats the pipeline takes (SUPPORTED_IMAGE_MIMES, SUPPORTED_VIDEO_MIMES). */
  supported: boolean;
  /** Human description, e.g. "JPEG image", "Canon CR2 RAW image", "text file", "ZIP archive". */
  description: string;
}

/** Camera RAW formats: decoded through the JPEG preview they embed. */
export const RAW_IMAGE_MIMES: readonly string[] = [
  'image/x-adobe-dng',
  'image/x-canon-cr2',
  'image/x-canon-cr3',
  'image/x-nikon-nef',
  'image/x-sony-arw',
  'image/x-olympus-orf',
  'image/x-panasonic-rw2',
  'image/x-fujifilm-raf',
  'image/x-pentax-pef',
  'image/x-samsung-srw',
  'image/x-raw',
];

export const SUPPORTED_IMAGE_MIMES: readonly string[] = [
  'image/jpeg',
  'image/png',
  'image/apng',
  'image/webp',
  'image/avif',
  'image/heic',
  'image/heif',
  'image/heic-sequence',
  'image/heif-sequence',
  'image/jxl',
  'image/tiff',
  'image/gif',
  'image/bmp',
  ...RAW_IMAGE_MIMES,
];

/** Videos a phone or camera writes: the poster frame and the clip's streams come through ffmpeg (./video/). */
export const SUPPORTED_VIDEO_MIMES: readonly string[] = [
  'video/mp4',
  'video/quicktime',
  'video/x-m4v',
  'video/3gpp',
  'video/3gpp2',
  'video/matroska',
  'video/x-matroska',
  'video/webm',
  'video/vnd.avi',
  'video/x-msvideo',
  'video/mp2t',
];

const DESCRIPTIONS: Record<string, string> = {
  'image/jpeg': 'JPEG image',
  'image/png': 'PNG image',
  'image/apng': 'animated PNG image',
  'image/webp': 'WebP image',
  'image/avif': 'AVIF image',
  'image/heic': 'HEIC image',
  'image/heif': 'HEIF image',
  'image/heic-sequence': 'HEIC image sequence',
  'image/heif-sequence': 'HEIF image sequence',
  'image/jxl': 'JPEG XL image',
  'image/tiff': 'TIFF image',
  'image/gif': 'GIF image',
  'image/bmp': 'BMP image',
  'image/x-adobe-dng': 'Adobe DNG RAW image',
  'image/x-canon-cr2': 'Canon CR2 RAW image',
  'image/x-canon-cr3': 'Canon CR3 RAW image',
  'image/x-nikon-nef': 'Nikon NEF RAW image',
  'image/x-sony-arw': 'Sony ARW RAW image',
  'image/x-olympus-orf': 'Olympus ORF RAW image',
  'image/x-panasonic-rw2': 'Panasonic RW2 RAW image',
  'image/x-fujifilm-raf': 'Fujifilm RAF RAW image',
  'image/x-pentax-pef': 'Pentax PEF RAW image',
  'image/x-samsung-srw': 'Samsung SRW RAW image',
  'image/x-raw': 'camera RAW image',
  'application/x-empty': 'empty file',
  'text/plain': 'text file',
  'application/octet-stream': 'unrecognised binary data',
  'application/pdf': 'PDF document',
  'application/zip': 'ZIP archive',
  'application/gzip': 'gzip archive',
  'application/x-tar': 'tar archive',
  'application/x-7z-compressed': '7-Zip archive',
  'application/vnd.rar': 'RAR archive',
  'application/x-rar-compressed': 'RAR archive',
  'video/mp4': 'MP4 video',
  'video/quicktime': 'QuickTime video',
  'video/x-m4v': 'M4V video',
  'video/3gpp': '3GP video',
  'video/3gpp2': '3G2 video',
  'video/matroska': 'Matroska video',
  'video/x-matroska': 'Matroska video',
  'video/webm': 'WebM video',
  'video/vnd.avi': 'AVI video',
  'video/x-msvideo': 'AVI video',
  'video/mp2t': 'MPEG transport stream video (MTS/M2TS)',
  'audio/mpeg': 'MP3 audio',
  'application/xml': 'XML document',
  'application/rdf+xml': 'XML document',
  'image/svg+xml': 'SVG drawing (not supported)',
  'image/vnd.adobe.photoshop': 'Photoshop document (not supported)',
  'image/x-icon': 'Windows icon (not supported)',
  'image/jp2': 'JPEG 2000 image (not supported)',
  'application/x-elf': 'ELF executable',
  'application/x-msdownload': 'Windows executable',
  'application/x-sqlite3': 'SQLite database',
  'application/wasm': 'WebAssembly module',
};

const SNIFF_BYTES = 4100; // file-type's own "reasonable detection size"

/**
 * Detects a file's type from its first bytes (plus one IFD of a TIFF, to tell RAW files from TIFF). A handle given
 * (a file in place, checked once opened) is read by position and left open.
 */
export async function detectImageType(file: string | FileHandle): Promise<DetectedType> {
  const handle = typeof file === 'string' ? await open(file, 'r') : file;
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
    const bytes = head.subarray(0, bytesRead);
    if (bytesRead === 0) return describe('application/x-empty', '');
    // A byte-order mark first: FF FE would otherwise pass for an MPEG audio frame sync.
    if (hasBom(bytes) && looksLikeText(bytes, bytesRead === SNIFF_BYTES)) return describe('text/plain', 'txt');
    let found = (await fileTypeFromBuffer(bytes)) as { mime: string; ext: string } | undefined;

    if (isTiffSignature(bytes) && (!found || found.mime === 'image/tiff')) {
      found = (await refineTiff(handle, bytes)) ?? found ?? { mime: 'image/tiff', ext: 'tif' };
    }
    if (found && (found.mime === 'image/heif' || found.mime === 'image/heif-sequence')) {
      found = refineIsoBrands(bytes) ?? found;
    }
    if (found) return describe(found.mime, found.ext);
    if (looksLikeText(bytes, bytesRead === SNIFF_BYTES)) return describe('text/plain', 'txt');
    return describe('application/octet-stream', 'bin');
  } finally {
    if (typeof file === 'string') await handle.close();
  }
}

function describe(mime: string, ext: string): DetectedType {
  const supported = SUPPORTED_IMAGE_MIMES.includes(mime) || SUPPORTED_VIDEO_MIMES.includes(mime);
  const description =
    DESCRIPTIONS[mime] ??
    (mime.startsWith('image/') ? `${ext.toUpperCase()} image (not supported)` : `${ext ? `${ext.toUpperCase()} file` : 'file'} (${mime})`);
  return { mime, ext, supported, description };
}

// --- TIFF and TIFF-based RAW -------------------------------------------------------------------------------

const isTiffSignature = (b: Buffer) =>
  b.length >= 8 && ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0x00) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0x00 && b[3] === 0x2a));

/** RAW formats that keep a plain TIFF signature, told apart by the camera maker (IFD0 "Make"). */
const RAW_BY_MAKER: Array<[RegExp, string, string]> = [
  [/^NIKON/i, 'image/x-nikon-nef', 'nef'],
  [/^(PENTAX|RICOH)/i, 'image/x-pentax-pef', 'pef'],
  [/^SAMSUNG/i, 'image/x-samsung-srw', 'srw'],
  [/^SONY/i, 'image/x-sony-arw', 'arw'],
  [/^CANON/i, 'image/x-canon-cr2', 'cr2'],
  [/^(OLYMPUS|OM DIGITAL)/i, 'image/x-olympus-orf', 'orf'],
  [/^(PANASONIC|LEICA)/i, 'image/x-panasonic-rw2', 'rw2'],
];

const TAG_MAKE = 271;
const TAG_PHOTOMETRIC = 262;
const TAG_SUBIFDS = 330;
const TAG_DNG_VERSION = 50706;
const PHOTOMETRIC_RAW = new Set([32803 /* CFA */, 34892 /* LinearRaw */]);

type FileHandle = Awaited<ReturnType<typeof open>>;

/**
 * A TIFF is RAW when IFD0 says DNG, or holds sensor data (CFA / LinearRaw), or has sub-IFDs and a camera
 * maker's name (NEF, PEF, SRW…). A TIFF exported by an editor keeps the Make but has neither.
 */
async function refineTiff(handle: FileHandle, head: Buffer): Promise<{ mime: string; ext: string } | null> {
  const le = head[0] === 0x49;
  const u16 = (b: Buffer, at: number) => (le ? b.readUInt16LE(at) : b.readUInt16BE(at));
  const u32 = (b: Buffer, at: number) => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const ifdOffset = u32(head, 4);
  const ifd = await readAt(handle, head, ifdOffset, 2 + 12 * 256);
  if (ifd.length < 2) return null;
  const count = Math.min(u16(ifd, 0), Math.floor((ifd.length - 2) / 12));
  let make = '';
  let photometric = -1;
  let hasSubIfds = false;
  for (let i = 0; i < count; i += 1) {
    const at = 2 + i * 12;
    const tag = u16(ifd, at);
    if (tag === TAG_DNG_VERSION) return { mime: 'image/x-adobe-dng', ext: 'dng' };
    if (tag === TAG_SUBIFDS) hasSubIfds = true;
    if (tag === TAG_PHOTOMETRIC) photometric = u16(ifd, at + 8);
    if (tag === TAG_MAKE) {
      const length = u32(ifd, at + 4);
      const value = length <= 4 ? ifd.subarray(at + 8, at + 8 + length) : await readAt(handle, head, u32(ifd, at + 8), Math.min(length, 64));
      make = value.toString('latin1').replace(/\0.*$/s, '').trim();
    }
  }
  const rawData = PHOTOMETRIC_RAW.has(photometric);
  if (!rawData && !(hasSubIfds && make)) return null;
  for (const [pattern, mime, ext] of RAW_BY_MAKER) if (pattern.test(make)) return { mime, ext };
  return rawData ? { mime: 'image/x-raw', ext: 'raw' } : null;
}

async function readAt(handle: FileHandle, head: Buffer, offset: number, length: number): Promise<Buffer> {
  if (offset + length <= head.length) return head.subarray(offset, offset + length);
  const buf = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buf, 0, length, offset);
  return buf.subarray(0, bytesRead);
}

// --- ISO BMFF brands ------------------------------------------------------------------------------------------

/** An 'ftyp' whose major brand is generic (mif1, msf1, mp4…) but whose compatible brands say AVIF or HEIC. */
function refineIsoBrands(b: Buffer): { mime: string; ext: string } | null {
  if (b.length < 16 || b.toString('latin1', 4, 8) !== 'ftyp') return null;
  const size = Math.min(b.readUInt32BE(0), b.length);
  const brands = new Set<string>();
  brands.add(b.toString('latin1', 8, 12));
  for (let at = 16; at + 4 <= size; at += 4) brands.add(b.toString('latin1', at, at + 4));
  const sequence = brands.has('msf1') && !brands.has('mif1');
  if (brands.has('avif') || brands.has('avis')) {
    if (!['heic', 'heix', 'hevc', 'hevx'].some((brand) => brands.has(brand))) return { mime: 'image/avif', ext: 'avif' };
  }
  if (['heic', 'heix'].some((brand) => brands.has(brand))) return { mime: sequence ? 'image/heic-sequence' : 'image/heic', ext: 'heic' };
  if (['hevc', 'hevx'].some((brand) => brands.has(brand))) return { mime: 'image/heic-sequence', ext: 'heic' };
  if (brands.has('mif1')) return { mime: 'image/heif', ext: 'heif' };
  return null;
}

// --- text ---------------------------------------------------------------------------------------------------

const hasBom = (b: Buffer) => (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) || (b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff);

const CONTROL = /[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]/;

/** Valid UTF-8, or UTF-16 after its BOM, without NULs or stray control characters. */
function looksLikeText(b: Buffer, truncated: boolean): boolean {
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) {
    const encoding = b[0] === 0xff ? 'utf-16le' : 'utf-16be';
    let end = b.length & ~1;
    if (truncated && end >= 2) {
      const last = encoding === 'utf-16le' ? b.readUInt16LE(end - 2) : b.readUInt16BE(end - 2);
      if (last >= 0xd800 && last <= 0xdbff) end -= 2; // a surrogate pair cut by the sniff window
    }
    try {
      return !CONTROL.test(new TextDecoder(encoding, { fatal: true }).decode(b.subarray(2, end)));
    } catch {
      return false;
    }
  }
  let end = b.length;
  if (truncated) {
    // Don't fail on a multi-byte character cut by the sniff window.
    let back = 0;
    while (back < 3 && end - back - 1 >= 0 && (b[end - back - 1]! & 0xc0) === 0x80) back += 1;
    const lead = b[end - back - 1];
    if (lead !== undefined && lead >= 0xc0) end -= back + 1;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(0, end));
  } catch {
    return false;
  }
  return !CONTROL.test(text);
}
