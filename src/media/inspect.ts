import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { decodePhoto, decodeStoredPixels, DEFAULT_SIZES, labelOf } from './decode.js';
import { decodeVideo, type DecodedVideo } from './video/decode-video.js';
import { isVideoMime, mediaTypeOf, type MediaType, type VideoInfo } from '../model/video.js';
import { detectImageType } from './detect.js';
import { readMetadata } from './metadata.js';
import { findSidecar } from './xmp-sidecar.js';
import { paletteFromImage } from './palette.js';
import { pdqFromPixels } from './pdq.js';
import type { PaletteColour, PdqResult, PhotoMetadata } from './types.js';

/** What `shoebox inspect FILE --json` prints. Field names are stable; later steps add fields beside them. */
export interface InspectResult {
  file: string;
  mime: string;
  type: MediaType;
  width: number | null;
  height: number | null;
  sha256: string;
  /** A video's length and streams (ffprobe); null for a photo, or when it could not be probed. */
  durationMs: number | null;
  video: VideoInfo | null;
  /** A motion photo's embedded video: its size in bytes; null for a still. */
  motionBytes: number | null;
  metadata: PhotoMetadata | null;
  pdq: PdqResult | null;
  palette: PaletteColour[] | null;
  /** Steps that could not run on this file, with the reason. */
  errors: Record<string, string>;
}

/** Extra analysis on the renditions (the AI steps), merged into the result. */
export type InspectExtension<T> = (
  input: { preview: Buffer; width: number; height: number; original: string; mime: string },
  errors: Record<string, string>,
) => Promise<T>;

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Runs the analysis steps on one file without touching any library. Throws only when the file is not an image. */
export async function inspectFile(file: string): Promise<InspectResult>;
export async function inspectFile<T extends object>(file: string, extend: InspectExtension<T>): Promise<InspectResult & Partial<T>>;
export async function inspectFile<T extends object>(file: string, extend?: InspectExtension<T>): Promise<InspectResult & Partial<T>> {
  const absolute = path.resolve(file);
  await fs.access(absolute);
  const detected = await detectImageType(absolute);
  if (!detected.supported) throw new Error(`${file}: not a supported photo or video (detected ${detected.mime}: ${detected.description})`);
  const errors: Record<string, string> = {};
  const sidecar = await findSidecar(absolute);
  const [sha256, renditions, metadata] = await Promise.all([
    sha256OfFile(absolute),
    (isVideoMime(detected.mime) ? decodeVideo(absolute, labelOf(absolute, detected.mime), DEFAULT_SIZES) : decodePhoto(absolute, detected.mime)).catch(
      (error) => {
        errors.preprocessing = message(error);
        return null;
      },
    ),
    readMetadata(absolute, { sidecar }).catch((error) => {
      errors.metadata = message(error);
      return null;
    }),
  ]);
  let pdq: PdqResult | null = null;
  let palette: PaletteColour[] | null = null;
  let extension: Partial<T> = {};
  if (renditions) {
    const extended = extend?.(
      { preview: renditions.preview, width: renditions.width, height: renditions.height, original: absolute, mime: detected.mime },
      errors,
    )?.catch((error: unknown): Partial<T> => {
      errors.analysis = message(error);
      return {};
    });
    [pdq, palette] = await Promise.all([
      (renditions.stored ? Promise.resolve(renditions.stored) : decodeStoredPixels(absolute, detected.mime)).then(pdqFromPixels).catch((error) => {
        errors.hashes = message(error);
        return null;
      }),
      paletteFromImage(renditions.thumbnail).catch((error) => {
        errors.palette = message(error);
        return null;
      }),
    ]);
    if (extended) extension = await extended;
  }
  const meta: PhotoMetadata | null = metadata
    ? {
        takenAt: metadata.takenAt,
        timeZone: metadata.timeZone,
        latitude: metadata.latitude,
        longitude: metadata.longitude,
        orientation: metadata.orientation,
        make: metadata.make,
        model: metadata.model,
        lens: metadata.lens,
        rating: metadata.rating,
        keywords: metadata.keywords,
        description: metadata.description,
      }
    : null;
  const probe = renditions && 'probe' in renditions ? (renditions as DecodedVideo).probe : null;
  const { durationMs = null, ...streams } = probe ?? {};
  return {
    file: absolute,
    mime: detected.mime,
    type: mediaTypeOf(detected.mime),
    width: renditions?.width ?? null,
    height: renditions?.height ?? null,
    sha256,
    durationMs,
    video: probe ? (streams as VideoInfo) : null,
    motionBytes: metadata?.motion?.length ?? null,
    metadata: meta,
    pdq,
    palette,
    ...extension,
    errors,
  };
}
