// What a generation job is made of: one unit per image, each with its prompt, seed, source (for image-to-image)
// and what to do with the provider's image before it is stored. The runner (run.ts) does the rest alike for
// every kind of job.
import { and, eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { type GenerationJobRow, type Provenance, photos } from '../../db/schema.js';
import type { ImageSize } from '../../ml/images/index.js';
import { derivedKey } from '../../storage/keys.js';
import type { Library } from '../library.js';
import { parseSize } from './requests.js';
import { owns } from '../../scope/rows.js';

/** An image to edit, and where it may change (OpenAI's convention: transparent pixels of the mask). */
export interface EditSource {
  image: Buffer;
  mask: Buffer | null;
  strength?: number;
}

export interface ImageUnit {
  /** The image's place in its job (photos.provenance.index): what a resumed job skips when it is stored. */
  index: number;
  prompt: string;
  negativePrompt: string | null;
  seed: number | null;
  size: ImageSize;
  filename: string;
  /** Null for text-to-image. Loaded when the unit runs, not before: a batch of 100 products keeps a few in memory. */
  source(): Promise<EditSource | null>;
  /** Turns the provider's image into the one stored (the product laid over it, the measurements drawn). */
  finish(image: Buffer): Promise<{ data: Buffer; provenance: Partial<Provenance> }>;
  /** The unit is over (stored, failed or dropped): its source may go. */
  release(): void;
  /** Added to this album once stored. */
  albumId: string | null;
  provenance: Partial<Provenance> & Pick<Provenance, 'mode' | 'sourcePhotoId'>;
}

export interface JobPlan {
  units: ImageUnit[];
}

interface GenerateRequest {
  prompt: string;
  negativePrompt: string | null;
  n: number;
  size: string;
  seed: number | null;
  sourcePhotoId: string | null;
  mode: 'text' | 'edit';
  strength: number | null;
}

/** A text-to-image or "inspired by" job: n images of one prompt; image i has seed + i, as web UIs number a batch. */
export async function planGenerate(lib: Library, job: GenerationJobRow): Promise<JobPlan | string> {
  const request = job.request as unknown as GenerateRequest;
  const size = parseSize(request.size);
  if (typeof size === 'string') return size;
  let source: Promise<EditSource | null> | null = null;
  if (request.mode === 'edit') {
    const image = await previewPng(lib, request.sourcePhotoId, size);
    if (!image) return 'the source photo is gone, or has no preview to start from';
    source = Promise.resolve({ image, mask: null, strength: request.strength ?? undefined });
  }
  const units = Array.from({ length: request.n }, (_, index): ImageUnit => ({
    index,
    prompt: request.prompt,
    negativePrompt: request.negativePrompt,
    seed: request.seed === null ? null : request.seed + index,
    size,
    filename: `${promptSlug(request.prompt)}-${index + 1}`,
    source: () => source ?? Promise.resolve(null),
    finish: async (data) => ({ data, provenance: {} }),
    release: () => undefined,
    albumId: null,
    provenance: { mode: request.mode, sourcePhotoId: request.sourcePhotoId },
  }));
  return { units };
}

/** The photo's preview as a PNG of the requested size (cropped to its shape); null when it is gone or has none yet. */
export async function previewPng(lib: Library, photoId: string | null, size: ImageSize): Promise<Buffer | null> {
  if (!photoId) return null;
  const [photo] = await lib.db
    .select({ storageLocation: photos.storageLocation, thumbnailAt: photos.thumbnailAt })
    .from(photos)
    .where(and(eq(photos.id, photoId), owns(lib, photos), sql`${photos.deletedAt} is null`));
  if (!photo?.thumbnailAt) return null;
  const file = await lib.storage.at(photo.storageLocation).localFile(derivedKey(photoId, 'preview.jpg'));
  try {
    return await sharp(file.path).resize(size.width, size.height, { fit: 'cover' }).png().toBuffer();
  } finally {
    await file.release();
  }
}

/** The prompt's first words as a file name: `a-red-bicycle-by-the-sea`. */
export function promptSlug(prompt: string): string {
  const slug = prompt
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .slice(0, 8)
    .join('-')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'generated';
}

/** A unit that cannot be made, with the reason as the user reads it (the product photo is gone). */
export class UnitFailure extends Error {
  override readonly name = 'UnitFailure';
}
