// Camera RAW (DNG, CR2, CR3, NEF, ARW, ORF, RW2, RAF, PEF, SRW…): the JPEG preview the camera embedded,
// extracted with ExifTool (exiftool-vendored), plus the RAW's own EXIF orientation (the embedded JPEG's
// pixels are stored the way the sensor saw them). Demosaicing the sensor data is out of scope.

import path from 'node:path';
import { BinaryField, ExifTool } from 'exiftool-vendored';
import { watchedExiftoolFactory } from '../exiftool-process.js';
import { errorMessage, ImageDecodeError } from './common.js';

let instance: ExifTool | null = null;

function exiftool(): ExifTool {
  if (instance === null || instance.ended) {
    const processFactory = watchedExiftoolFactory(process.env);
    instance = new ExifTool({ maxProcs: 1, ...(processFactory ? { processFactory } : {}) });
  }
  return instance;
}

/** Ends this module's ExifTool process (a later RAW starts a new one). */
export async function closeRawExtractor(): Promise<void> {
  const et = instance;
  instance = null;
  if (et && !et.ended) await et.end();
}

/** Embedded images, most useful first: a full-size JPEG where the camera wrote one, then the preview. */
const PREVIEW_TAGS = ['JpgFromRaw', 'PreviewImage', 'OtherImage', 'ThumbnailImage'] as const;

export interface RawPreview {
  /** The extracted JPEG (inside `dir`). */
  file: string;
  /** EXIF orientation of the RAW, 1..8. */
  orientation: number;
  tag: string;
}

/** Extracts the largest embedded JPEG of a RAW file into `dir`. */
export async function extractRawPreview(file: string, dir: string, label: string): Promise<RawPreview> {
  const et = exiftool();
  let tags: Record<string, unknown>;
  try {
    tags = (await et.read(file)) as unknown as Record<string, unknown>;
  } catch (error) {
    throw new ImageDecodeError(`${label}: ExifTool could not read the RAW file: ${errorMessage(error)}`);
  }
  const present = PREVIEW_TAGS.map((tag) => ({ tag, field: tags[tag] }))
    .filter((entry): entry is { tag: (typeof PREVIEW_TAGS)[number]; field: BinaryField } => entry.field instanceof BinaryField)
    .sort((a, b) => b.field.bytes - a.field.bytes);
  const orientation = typeof tags.Orientation === 'number' && tags.Orientation >= 1 && tags.Orientation <= 8 ? tags.Orientation : 1;
  const errors: string[] = [];
  for (const { tag } of present) {
    const out = path.join(dir, `${tag}.jpg`);
    try {
      await et.extractBinaryTag(tag, file, out);
      return { file: out, orientation, tag };
    } catch (error) {
      errors.push(`${tag}: ${errorMessage(error)}`);
    }
  }
  throw new ImageDecodeError(
    `${label}: no embedded JPEG preview in this RAW file` +
      (errors.length ? ` (${errors.join('; ')})` : '') +
      ' (RAW files are shown through the preview the camera embeds)',
  );
}
