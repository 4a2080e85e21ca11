// What a share-link visitor's copy of an image keeps of its metadata: an allow-list, not a list of what is known to
// say where. Everything else goes — GPS in any group, place names, IPTC, XMP of every namespace but the few below,
// EXIF thumbnails (which carry GPS of their own), maker notes, comments, captions and keywords (free text names
// places), serial numbers. Kept: what shows the picture right (orientation, colour, resolution, the pixels'
// layout), when it was taken (the visitor's list shows that date), how (camera, lens model, exposure) and who
// holds its rights. Pure: the lists, and the rule the copy is checked with after (./strip-metadata.ts).

/** Tags copied back after everything was deleted (ExifTool's `-tagsFromFile @ -TAG`). The ICC profile is never deleted. */
export const KEPT_TAGS = [
  // the picture as it is meant to be seen
  'EXIF:Orientation',
  'EXIF:XResolution',
  'EXIF:YResolution',
  'EXIF:ResolutionUnit',
  'EXIF:ColorSpace',
  // when (the visitor's list shows it)
  'EXIF:DateTimeOriginal',
  'EXIF:CreateDate',
  'EXIF:OffsetTime',
  'EXIF:OffsetTimeOriginal',
  'EXIF:OffsetTimeDigitized',
  'EXIF:SubSecTimeOriginal',
  'EXIF:SubSecTimeDigitized',
  'XMP-photoshop:DateCreated',
  'XMP-xmp:CreateDate',
  'XMP-exif:DateTimeOriginal',
  // how: the camera and lens models and the exposure (never their serial numbers)
  'EXIF:Make',
  'EXIF:Model',
  'EXIF:LensMake',
  'EXIF:LensModel',
  'EXIF:ExposureTime',
  'EXIF:FNumber',
  'EXIF:ISO',
  'EXIF:ExposureProgram',
  'EXIF:ExposureCompensation',
  'EXIF:MeteringMode',
  'EXIF:Flash',
  'EXIF:FocalLength',
  'EXIF:FocalLengthIn35mmFormat',
  'EXIF:WhiteBalance',
  // whose: credits and rights stay with the picture
  'EXIF:Artist',
  'EXIF:Copyright',
  'XMP-dc:Creator',
  'XMP-dc:Rights',
] as const;

/**
 * What a RAW's copy deletes of the EXIF and maker notes it keeps (ExifTool's names; `*` as ExifTool reads it when
 * deleting): what PRIVATE_NAME and FREE_TEXT below refuse, so that a RAW holding them is stripped rather than refused.
 * A tag ExifTool cannot delete stays, and the copy is refused.
 */
export const RAW_DELETED_TAGS = [
  'GPS:all',
  '*Serial*',
  '*UniqueID',
  'OwnerName',
  'CameraOwnerName',
  '*Location*',
  '*Country*',
  '*City*',
  'State',
  'Landmark',
  'BabyName',
  'FaceName',
  '*Face*Name',
  'XP*',
  'ImageDescription',
  'UserComment',
  'Title',
  'DocumentName',
  'PageName',
  'HostComputer',
  'ImageHistory',
] as const;

/** Names ExifTool writes itself, or cannot delete, that describe only the pixels (a TIFF's strips, JPEG sampling). */
const STRUCTURE_NAMES = [
  'ImageWidth',
  'ImageHeight',
  'BitsPerSample',
  'Compression',
  'PhotometricInterpretation',
  'StripOffsets',
  'SamplesPerPixel',
  'RowsPerStrip',
  'StripByteCounts',
  'PlanarConfiguration',
  'TileWidth',
  'TileLength',
  'TileOffsets',
  'TileByteCounts',
  'SampleFormat',
  'ExtraSamples',
  'Predictor',
  'SubfileType',
  'OldSubfileType',
  'FillOrder',
  'YCbCrPositioning',
  'YCbCrSubSampling',
  'YCbCrCoefficients',
  'ReferenceBlackWhite',
  'ExifVersion',
  'FlashpixVersion',
  'ComponentsConfiguration',
  'ExifImageWidth',
  'ExifImageHeight',
  'InteropIndex',
  'InteropVersion',
  'WhitePoint',
  'PrimaryChromaticities',
  'TransferFunction',
  'XMPToolkit',
];

const KEPT_NAMES = new Set([...KEPT_TAGS.map((tag) => tag.slice(tag.indexOf(':') + 1)), ...STRUCTURE_NAMES]);

/**
 * Families (ExifTool's family 0) that say nothing but what the file is: its name, size, pixels' layout, colours (an
 * Adobe APP14 segment is how its JPEG's colours are coded; ExifTool keeps it for that).
 */
const DESCRIBE_FILE = new Set(['File', 'ExifTool', 'Composite', 'ICC_Profile', 'JFIF', 'APP14']);
/** Families of a container's own structure (chunks, boxes, tracks): kept, but never a tag named like a place. */
const CONTAINER = new Set(['PNG', 'RIFF', 'QuickTime', 'GIF', 'JXL', 'BMP', 'Matroska', 'M2TS', 'H264', 'MPEG', 'AVI']);
/** Groups (family 1) of a container that hold free metadata rather than structure. */
const FREE_METADATA = new Set(['UserData', 'Keys', 'ItemList', 'AudioKeys', 'VideoKeys', 'Meta-UserData']);

/** Keys of ExifTool's answer that are not tags of the file. */
const NOT_TAGS = new Set(['SourceFile', 'errors', 'warnings']);

/**
 * A tag named like a place, a position, a serial number or another unique id, an owner, or a person a camera
 * recognised (Panasonic's and Fujifilm's maker notes name faces and babies, and the landmark and state), in any group.
 */
const PRIVATE_NAME =
  /gps|latitude|longitude|coordinates|location|geotag|iso6709|province|country|serial|uniqueid|ownername|landmark|^state$|^city$|(baby|face\d*)name/i;
/**
 * Free text (a JPEG comment is a `File` tag, a PNG's text a `PNG` one, Windows' XP tags and a TIFF's document name,
 * page name and computer EXIF ones): it can name a place, a person or a path, so none is kept.
 */
const FREE_TEXT =
  /^(XP)?(Comment|UserComment|Description|ImageDescription|Title|Keywords?|Subject|Caption(-Abstract)?|Text|Author|Label|DocumentName|PageName|HostComputer|ImageHistory)$/;
/** ExifTool's names are CamelCase: `City` as a word (HometownCity, LocationCreatedCity), not inside Opacity. */
const CITY = /City/;

/**
 * The tags (keys `Family0:Family1:Name`, from ExifTool's `-G0:1` output) a visitor's copy may not hold: [] when it
 * keeps only the allow-list. `raw`: a camera RAW, whose EXIF and maker notes its decoders need (kept, but no GPS
 * and nothing named like a place, a serial number, an owner or a person, nor free text, in them).
 */
export function unsafeTagsIn(tags: Record<string, unknown>, options: { raw: boolean }): string[] {
  return Object.keys(tags).filter((key) => {
    if (NOT_TAGS.has(key)) return false;
    // `[EXIF:IFD0]` as `EXIF:IFD0:Name`; a group whose two families agree is named once (`File:FileType`)
    const parts = key.split(':');
    if (parts.length < 2) return true;
    const [family0, family1] = parts.length === 2 ? [parts[0]!, parts[0]!] : [parts[0]!, parts[1]!];
    const name = parts[parts.length - 1]!;
    // the file system's facts (its name is the caller's) and the tool's version
    if (family1 === 'System' || family0 === 'ExifTool') return false;
    if (PRIVATE_NAME.test(name) || CITY.test(name) || FREE_TEXT.test(name)) return true;
    if (DESCRIBE_FILE.has(family0)) return false;
    if (family0 === 'XMP') return !KEPT_NAMES.has(name);
    // a RAW's EXIF and maker notes are what its decoders read (colour matrices, levels): kept but for GPS and names
    if (family0 === 'EXIF') return family1 === 'GPS' || (!options.raw && (family1 === 'IFD1' || !KEPT_NAMES.has(name)));
    if (family0 === 'MakerNotes') return !options.raw;
    if (CONTAINER.has(family0)) return FREE_METADATA.has(family1);
    return true;
  });
}
