// Checks one photo (stored, or an upload before it is stored) against the library and files it in groups.
import { eq, sql } from 'drizzle-orm';
import { isVideoMime } from '../../model/video.js';
import type { MlSettings } from '../../config/settings.js';
import { rows, type Db } from '../../db/connection.js';
import { photos, type PhotoRow } from '../../db/schema.js';
import { parseVector } from '../../db/vector-values.js';
import { PDQ_DIHEDRAL_NAMES, type PdqDihedralName } from '../../media/pdq-dihedral.js';
import { findMatches, type ClassifiedMatch, type DuplicateProbe } from './candidates.js';
import { placeInGroups } from './groups.js';
import type { CopyFacts } from './provenance.js';
import type { DuplicateThresholds, PdqProbe } from './rules.js';
import { forSystemRows } from '../actors.js';

export function thresholdsFrom(settings: MlSettings): DuplicateThresholds {
  return {
    pdqDistance: settings.duplicatePdqDistance,
    pdqMinQuality: settings.duplicatePdqMinQuality,
    clipSimilarity: settings.duplicateClipSimilarity,
    burstSeconds: settings.burstSeconds,
  };
}

/** The stored hashes of every orientation, as the hashes step wrote them. */
export function pdqProbeOf(photo: Pick<PhotoRow, 'pdqHash' | 'pdqQuality' | 'pdqVariants'>): PdqProbe | null {
  if (!photo.pdqHash || photo.pdqQuality === null) return null;
  const hashes: Partial<Record<PdqDihedralName, string>> = { original: photo.pdqHash };
  PDQ_DIHEDRAL_NAMES.filter((name) => name !== 'original').forEach((name, i) => {
    const hash = photo.pdqVariants?.[i];
    if (hash) hashes[name] = hash;
  });
  return { quality: photo.pdqQuality, hashes };
}

async function storedEmbedding(db: Db, photoId: string, model: string | null): Promise<Float32Array | null> {
  if (!model) return null;
  const [row] = await rows<{ embedding: string }>(
    db,
    sql`select embedding::text as embedding from photo_embeddings where photo_id = ${photoId}::uuid and model = ${model}`,
  );
  return row ? parseVector(row.embedding) : null;
}

/** A stored photo as the provenance rules read it. */
export function copyFactsOf(
  photo: Pick<PhotoRow, 'id' | 'filename' | 'mime' | 'width' | 'height' | 'takenAt' | 'make' | 'model' | 'encoding' | 'lineage'>,
  stackId: string | null,
): CopyFacts {
  const { id, filename, mime, width, height, takenAt, make, model, encoding, lineage } = photo;
  return { id, filename, mime, width, height, takenAt, make, model, stackId, encoding, lineage };
}

/** Finds the photo's copies and bursts and updates its groups; returns what matched. */
export async function detectDuplicates(db: Db, photoId: string, thresholds: DuplicateThresholds, embeddingModel: string | null): Promise<ClassifiedMatch[]> {
  const [photo] = await db.select().from(photos).where(eq(photos.id, photoId));
  if (!photo || photo.deletedAt) return [];
  const [stack] = await rows<{ stack_id: string }>(db, sql`select stack_id from stack_members where photo_id = ${photoId}::uuid`);
  const probe: DuplicateProbe = {
    photoId,
    pdq: pdqProbeOf(photo),
    embedding: await storedEmbedding(db, photoId, embeddingModel),
    embeddingModel,
    make: photo.make,
    model: photo.model,
    takenAt: photo.takenAt,
    sourcePhotoId: photo.sourcePhotoId,
    generationJobId: photo.generationJobId,
    origin: photo.origin === 'generated' ? 'generated' : 'camera',
    video: isVideoMime(photo.mime),
    facts: copyFactsOf(photo, stack?.stack_id ?? null),
  };
  const owner = forSystemRows(db, photo.ownerId);
  const matches = await findMatches(owner, probe, thresholds);
  await placeInGroups(owner, photoId, matches);
  return matches;
}
