// Finds the stored photos a photo might be a copy of, through indexes only (never a scan of the library):
// PDQ words (multi-index hashing), the CLIP HNSW index, and the capture-time index for bursts.
import { sql } from 'drizzle-orm';
import { uuidArray } from '../../db/arrays.js';
import { rows, type Db } from '../../db/connection.js';
import { vectorLiteral } from '../../db/vectors.js';
import type { PdqDihedralName } from '../../media/pdq.js';
import { filterCondition } from '../../search/filters.js';
import { nearestScan } from '../../search/nearest.js';
import { probeKeyList, probeRadius } from './pdq-index.js';
import { classifyMatch, closestOrientation, type Classified, type DuplicateThresholds, type MatchEvidence, type PdqProbe } from './rules.js';

/** What is known of the photo being checked: a stored one, or an upload not stored yet. */
export interface DuplicateProbe {
  /** Null for an upload being checked before it is stored. */
  photoId: string | null;
  pdq: PdqProbe | null;
  embedding: Float32Array | null;
  /** Only embeddings of this model are compared. */
  embeddingModel: string | null;
  make: string | null;
  model: string | null;
  takenAt: Date | null;
}

export interface ClassifiedMatch {
  evidence: MatchEvidence;
  classified: Classified;
}

/** Nearest CLIP neighbours looked at: copies of one photo are rarely more than a handful. */
const CLIP_NEIGHBOURS = 10;

const intArray = (values: readonly number[]) => `{${values.join(',')}}`;

/** Photos that fall in a tier with the probe, with their evidence, minus pairs the user said are not duplicates. */
export async function findMatches(db: Db, ownerId: string, probe: DuplicateProbe, thresholds: DuplicateThresholds): Promise<ClassifiedMatch[]> {
  const self = probe.photoId ? [probe.photoId] : [];
  const candidates = new Set<string>([
    ...(await pdqCandidates(db, ownerId, probe, thresholds, self)),
    ...(await clipCandidates(db, ownerId, probe, self)),
    ...(await burstCandidates(db, ownerId, probe, thresholds, self)),
  ]);
  if (probe.photoId) for (const id of await dismissedWith(db, probe.photoId)) candidates.delete(id);
  if (candidates.size === 0) return [];
  const measured = await measure(db, [...candidates], probe, thresholds);
  const matches: ClassifiedMatch[] = [];
  for (const evidence of measured) {
    const classified = classifyMatch(evidence, thresholds);
    if (classified) matches.push({ evidence, classified });
  }
  return matches;
}

/**
 * Photos within the PDQ distance of the probe, as it is or mirrored (each photo's keys are stored for its own
 * hash and its mirror image's). One index-only scan: the key lookup narrows (~400 hits at 100k photos, 0–2 of
 * them real) and the hash in the index confirms the distance; only the photos that pass are read
 * (bench/README.md).
 */
export async function pdqCandidates(db: Db, ownerId: string, probe: DuplicateProbe, thresholds: DuplicateThresholds, self: string[]): Promise<string[]> {
  const hash = probe.pdq?.hashes.original;
  if (!probe.pdq || !hash || probe.pdq.quality < thresholds.pdqMinQuality) return [];
  const keys = probeKeyList(hash, probeRadius(Math.min(thresholds.pdqDistance, 255)));
  const found = await rows<{ id: string }>(
    db,
    sql`select p.id from photos p
        where p.id in (select w.photo_id from photo_pdq_keys w
                       where w.key = any(${intArray(keys)}::int4[])
                         and bit_count(w.hash # ${`x${hash}`}::bit(256)) <= ${thresholds.pdqDistance})
          and p.owner_id = ${ownerId}::uuid and p.deleted_at is null and p.pdq_quality >= ${thresholds.pdqMinQuality}
          ${self.length ? sql`and p.id <> all(${uuidArray(self)})` : sql``}`,
  );
  return found.map((row) => row.id);
}

export async function clipCandidates(db: Db, ownerId: string, probe: DuplicateProbe, self: string[]): Promise<string[]> {
  if (!probe.embedding) return [];
  const scan = nearestScan('near', {
    embedding: probe.embedding,
    filter: filterCondition(ownerId, {}),
    narrowed: false,
    limit: CLIP_NEIGHBOURS,
    model: probe.embeddingModel,
    exclude: self,
  });
  const found = await rows<{ photo_id: string }>(db, sql`with ${scan} select photo_id from near`);
  return found.map((row) => row.photo_id);
}

export async function burstCandidates(db: Db, ownerId: string, probe: DuplicateProbe, thresholds: DuplicateThresholds, self: string[]): Promise<string[]> {
  if (!probe.make || !probe.model || !probe.takenAt) return [];
  const ms = thresholds.burstSeconds * 1000;
  const from = new Date(probe.takenAt.getTime() - ms).toISOString();
  const to = new Date(probe.takenAt.getTime() + ms).toISOString();
  // written on the sort expression so that the (owner, coalesce(taken_at, created_at)) index serves the range
  const found = await rows<{ id: string }>(
    db,
    sql`select p.id from photos p
        where p.owner_id = ${ownerId}::uuid and coalesce(p.taken_at, p.created_at) between ${from}::timestamptz and ${to}::timestamptz
          and p.taken_at is not null and p.deleted_at is null and p.make = ${probe.make} and p.model = ${probe.model}
          ${self.length ? sql`and p.id <> all(${uuidArray(self)})` : sql``}`,
  );
  return found.map((row) => row.id);
}

async function dismissedWith(db: Db, photoId: string): Promise<string[]> {
  const found = await rows<{ other: string }>(
    db,
    sql`select photo_b as other from duplicate_dismissals where photo_a = ${photoId}::uuid
        union select photo_a from duplicate_dismissals where photo_b = ${photoId}::uuid`,
  );
  return found.map((row) => row.other);
}

interface CandidateRow {
  id: string;
  pdq_hash: string | null;
  pdq_quality: number | null;
  make: string | null;
  model: string | null;
  taken_at: Date | string | null;
  similarity: number | null;
}

/** Every kind of evidence for each candidate, whichever index found it. */
export async function measure(db: Db, ids: string[], probe: DuplicateProbe, thresholds: DuplicateThresholds): Promise<MatchEvidence[]> {
  const similarity = probe.embedding
    ? sql`(select 1 - (e.embedding <=> ${vectorLiteral(probe.embedding)}::vector) from photo_embeddings e
           where e.photo_id = p.id ${probe.embeddingModel ? sql`and e.model = ${probe.embeddingModel}` : sql``})::float8`
    : sql`null::float8`;
  const found = await rows<CandidateRow>(
    db,
    sql`select p.id, p.pdq_hash, p.pdq_quality, p.make, p.model, p.taken_at, ${similarity} as similarity
        from photos p where p.id = any(${uuidArray(ids)})`,
  );
  return found.map((row) => {
    const pdq = probe.pdq ? closestOrientation(probe.pdq, { hash: row.pdq_hash, quality: row.pdq_quality }, thresholds.pdqMinQuality) : null;
    const takenAt = row.taken_at === null ? null : new Date(row.taken_at);
    return {
      photoId: row.id,
      pdqDistance: pdq?.distance ?? null,
      pdqOrientation: (pdq?.orientation ?? null) as PdqDihedralName | null,
      similarity: row.similarity,
      sameCamera: probe.make !== null && probe.model !== null && row.make === probe.make && row.model === probe.model,
      secondsApart: probe.takenAt && takenAt ? Math.abs(probe.takenAt.getTime() - takenAt.getTime()) / 1000 : null,
    };
  });
}
