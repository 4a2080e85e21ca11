// What a file's name and format say of the shot it is a version of: its format family (raw, HEIC, JPEG) and the name
// its versions share, an edited copy's suffix taken off (Google's, by language; Lightroom's, digiKam's, Apple's). Pure;
// stacking rules, duplicates and the Takeout importer read it, so none of them depends on another for it.

/** The suffixes Google gives an edited copy, by the account's language. */
export const EDITED_SUFFIXES = [
  '-edited', // en
  '-bearbeitet', // de
  '-modifié', // fr
  '-editado', // es, pt
  '-modificato', // it
  '-bewerkt', // nl
  '-edytowane', // pl
  '-redigerad', // sv
  '-redigeret', // da
  '-redigert', // nb
  '-muokattu', // fi
  '-upraveno', // cs
  '-szerkesztett', // hu
  '-düzenlendi', // tr
  '-изменено', // ru
  '-編集済み', // ja
  '-편집됨', // ko
  '-已修改', // zh
] as const;

const RAW_EXTENSIONS = new Set([
  'dng',
  'cr2',
  'cr3',
  'crw',
  'nef',
  'nrw',
  'arw',
  'srf',
  'sr2',
  'raf',
  'orf',
  'rw2',
  'rwl',
  'pef',
  'srw',
  'x3f',
  '3fr',
  'iiq',
  'erf',
  'mef',
  'mos',
  'kdc',
  'dcr',
]);
const HEIC_EXTENSIONS = new Set(['heic', 'heif', 'hif']);
const JPEG_EXTENSIONS = new Set(['jpg', 'jpeg', 'jpe']);
/** Edit suffixes besides Google's localised ones: Lightroom's `-Edit`, digiKam's versions `_v1`, `_edited`. */
const OTHER_EDIT_SUFFIX = /(?:[-_]edit(?:ed)?(?:-\d+)?|_v\d{1,2})$/;
/** Apple's edited export of IMG_1234 is IMG_E1234. */
const APPLE_EDITED = /^img_e(\d{4,})$/;

/** The file's format family, by its type and extension: what a raw+JPEG or HEIC+JPEG pair is made of. */
export function formatFamily(filename: string, mime: string): 'raw' | 'heic' | 'jpeg' | 'other' {
  const ext = extensionOf(filename);
  if (RAW_EXTENSIONS.has(ext) || /x-(adobe-dng|canon|nikon|sony|fuji|olympus|panasonic|pentax|samsung)|image\/(x-)?dng/.test(mime)) return 'raw';
  if (HEIC_EXTENSIONS.has(ext) || mime === 'image/heic' || mime === 'image/heif') return 'heic';
  if (JPEG_EXTENSIONS.has(ext) || mime === 'image/jpeg') return 'jpeg';
  return 'other';
}

/** The name a file's versions share, and whether this file is an edited one: `IMG_1234-edited.jpg` → img_1234, edited. */
export function baseName(filename: string): { base: string; edited: boolean } {
  const stem = stemOf(filename).normalize('NFC').toLowerCase();
  const google = EDITED_SUFFIXES.find((s) => stem.endsWith(s) && stem.length > s.length);
  if (google) return { base: stem.slice(0, -google.length), edited: true };
  const other = OTHER_EDIT_SUFFIX.exec(stem);
  if (other && other.index > 0) return { base: stem.slice(0, other.index), edited: true };
  const apple = APPLE_EDITED.exec(stem);
  if (apple) return { base: `img_${apple[1]}`, edited: true };
  return { base: stem, edited: false };
}

export function stemOf(filename: string): string {
  const name = filename.split(/[\\/]/).pop() ?? filename;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot > 0 ? filename.slice(dot + 1).toLowerCase() : '';
}
