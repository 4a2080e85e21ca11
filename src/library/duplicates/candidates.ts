// Finds the stored photos a photo might be a copy of, through indexes only (never a scan of the library):
// PDQ words (multi-index hashing), the CLIP HNSW index, and the capture-time index for bursts.
import { sql, type SQL } from 'drizzle-orm';
import { ownScope } from '../../scope/photo-scope.js';
import { uuidArray } from '../../db/arrays.js';
import { rows, type Db } from '../../db/connection.js';
import { vectorParam } from '../../db/vector-values.js';
import type { PdqDihedralName } from '../../media/pdq-dihedral.js';
import { filterCondition } from '../../search/filters.js';
import { keptPhotos, serialRows } from '../../search/narrowing.js';
import { nearestScan } from '../../search/nearest.js';
import { probeKeyList, probeRadius } from './pdq-index.js';
import type { Encoding, Lineage } from '../../model/file-facts.js';
import { versionsOfOneShot, type CopyFacts } from './provenance.js';
import { classifyMatch, closestOrientation, type Classified, type DuplicateThresholds, type MatchEvidence, type PdqProbe } from './rules.js';
import { ownsSql, type OwnerView } from '../../scope/rows.js';

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
  /** A generated image: the photo it was made from, and its job (never grouped with either, nor with its siblings). */
  sourcePhotoId?: string | null;
  generationJobId?: string | null;
  /**
   * The CLIP tier compares camera photos with camera photos and generated images with generated ones (default
   * camera: an upload): a product's generated shots, close to it in meaning by design, would otherwise fill its
   * few nearest neighbours and hide a real copy.
   */
  origin?: 'camera' | 'generated';
  /** A video is compared with videos only (its poster looks like the stills taken beside it, and is not one). */
  video?: boolean;
  /** What the file is (name, format, size, stack): a version of one shot with it is never a match. */
  facts?: CopyFacts;
}

export interface ClassifiedMatch {
  evidence: MatchEvidence;
  classified: Classified;
  /** What the matched photo is (to tell an original from its copies). */
  facts: CopyFacts;
}

/** Nearest CLIP neighbours looked at: copies of one photo are rarely more than a handful. */
const CLIP_NEIGHBOURS = 10;

const intArray = (values: readonly number[]) => `{${values.join(',')}}`;

/**
 * Photos that fall in a tier with the probe, with their evidence, minus pairs the user said are not duplicates and
 * versions of one shot with it (a RAW and its JPEG, an original and its edit: provenance.ts).
 * One statement: the three lookups (the same as pdqCandidates, clipCandidates and burstCandidates), the
 * dismissed pairs and the evidence, with the probe's embedding sent once (in binary: a 512-d vector literal cost ~0.8 ms
 * of parsing in PGlite), and every statement is a round trip (bench/README.md).
 */
export async function findMatches(owner: OwnerView, probe: DuplicateProbe, thresholds: DuplicateThresholds): Promise<ClassifiedMatch[]> {
  const { db, ownerId } = owner;
  const self = probe.photoId ? [probe.photoId] : [];
  const ctes: SQL[] = [];
  const lookups: SQL[] = [];
  const pdq = pdqCandidateQuery(ownerId, probe, thresholds, self);
  if (pdq) lookups.push(pdq);
  const clip = clipCandidateScan(ownerId, probe, self);
  if (clip) {
    ctes.push(clip);
    lookups.push(sql`select photo_id as id from near`);
  }
  const burst = burstCandidateQuery(ownerId, probe, thresholds, self);
  if (burst) lookups.push(burst);
  if (lookups.length === 0) return [];
  ctes.push(sql`candidates as (${sql.join(lookups, sql` union `)})`);
  const notDismissed = probe.photoId ? sql`and p.id <> all(array(${dismissedQuery(probe.photoId)}))` : sql``;
  const found = await rows<CandidateRow>(
    db,
    sql`with ${sql.join(ctes, sql`, `)}
        ${evidenceSelect(probe, probe.embedding ? vectorParam(probe.embedding) : null)}
        where p.id = any(array(select id from candidates)) ${notDismissed} ${notMadeFromEachOther(probe)}
          and (p.mime like 'video/%') = ${probe.video ?? false}
        order by p.id`,
  );
  const matches: ClassifiedMatch[] = [];
  for (const row of found) {
    const evidence = evidenceOf(row, probe, thresholds);
    const facts = factsOf(row);
    const classified = classifyMatch(evidence, thresholds);
    if (classified && !(probe.facts && versionsOfOneShot(probe.facts, facts))) matches.push({ evidence, classified, facts });
  }
  return matches;
}

/**
 * Photos within the PDQ distance of the probe, as it is or mirrored (each photo's keys are stored for its own
 * hash and its mirror image's). One index-only scan: the key lookup narrows (~400 hits at 100k photos, 0–2 of
 * them real) and the hash in the index confirms the distance; only the photos that pass are read
 * (bench/README.md).
 */
export async function pdqCandidates(owner: OwnerView, probe: DuplicateProbe, thresholds: DuplicateThresholds, self: string[]): Promise<string[]> {
  const query = pdqCandidateQuery(owner.ownerId, probe, thresholds, self);
  return query ? (await rows<{ id: string }>(owner.db, query)).map((row) => row.id) : [];
}

/** pdqCandidates' statement (one column, id), or null when the probe's hash is missing or weak. */
function pdqCandidateQuery(ownerId: string, probe: DuplicateProbe, thresholds: DuplicateThresholds, self: string[]): SQL | null {
  const hash = probe.pdq?.hashes.original;
  if (!probe.pdq || !hash || probe.pdq.quality < thresholds.pdqMinQuality) return null;
  const keys = probeKeyList(hash, probeRadius(Math.min(thresholds.pdqDistance, 255)));
  return sql`select p.id from photos p
        where p.id in (select w.photo_id from photo_pdq_keys w
                       where w.key = any(${intArray(keys)}::int4[])
                         and bit_count(w.hash # ${`x${hash}`}::bit(256)) <= ${thresholds.pdqDistance})
          and ${ownsSql(ownerId, 'p')} and p.deleted_at is null and p.pdq_quality >= ${thresholds.pdqMinQuality}
          ${self.length ? sql`and p.id <> all(${uuidArray(self)})` : sql``}`;
}

export async function clipCandidates(owner: OwnerView, probe: DuplicateProbe, self: string[]): Promise<string[]> {
  const scan = clipCandidateScan(owner.ownerId, probe, self);
  if (!scan) return [];
  // without parallel workers: the gated-off way would start them anyway (serialRows)
  const found = await serialRows<{ photo_id: string }>(owner.db, sql`with ${scan} select photo_id from near`);
  return found.map((row) => row.photo_id);
}

/**
 * clipCandidates' CTEs, ending in `near` (photo_id, distance); null without an embedding. A small owner's photos
 * are ranked exactly (narrowing.ts): in a large library the HNSW graph's scan gives up before it finds them.
 */
function clipCandidateScan(ownerId: string, probe: DuplicateProbe, self: string[]): SQL | null {
  if (!probe.embedding) return null;
  const filter = filterCondition(ownScope(ownerId), { origin: probe.origin ?? 'camera' });
  const near = nearestScan('near', {
    embedding: probe.embedding,
    filter,
    limit: CLIP_NEIGHBOURS,
    model: probe.embeddingModel,
    exclude: self,
  });
  // the origin keeps most of an owner's photos: alone in the library, the graph's scan as before (narrowing.ts)
  return sql`${keptPhotos(filter, ownerId)}, ${near}`;
}

export async function burstCandidates(owner: OwnerView, probe: DuplicateProbe, thresholds: DuplicateThresholds, self: string[]): Promise<string[]> {
  const query = burstCandidateQuery(owner.ownerId, probe, thresholds, self);
  return query ? (await rows<{ id: string }>(owner.db, query)).map((row) => row.id) : [];
}

/** burstCandidates' statement (one column, id), or null when the probe's camera or capture time is unknown. */
function burstCandidateQuery(ownerId: string, probe: DuplicateProbe, thresholds: DuplicateThresholds, self: string[]): SQL | null {
  if (!probe.make || !probe.model || !probe.takenAt) return null;
  const ms = thresholds.burstSeconds * 1000;
  const from = new Date(probe.takenAt.getTime() - ms).toISOString();
  const to = new Date(probe.takenAt.getTime() + ms).toISOString();
  // written on the sort expression so that the (owner, coalesce(taken_at, created_at)) index serves the range
  return sql`select p.id from photos p
        where ${ownsSql(ownerId, 'p')} and coalesce(p.taken_at, p.created_at) between ${from}::timestamptz and ${to}::timestamptz
          and p.taken_at is not null and p.deleted_at is null and p.make = ${probe.make} and p.model = ${probe.model}
          ${self.length ? sql`and p.id <> all(${uuidArray(self)})` : sql``}`;
}

/**
 * A generated image is never a copy of the photo it was made from, of the images made from that photo, or of the
 * other images of its job: they are meant to look alike. Nor is a photo a copy of the images made from it.
 */
function notMadeFromEachOther(probe: DuplicateProbe): SQL {
  const conditions: SQL[] = [];
  if (probe.photoId) conditions.push(sql`p.source_photo_id is distinct from ${probe.photoId}::uuid`);
  if (probe.sourcePhotoId) {
    conditions.push(sql`p.id <> ${probe.sourcePhotoId}::uuid`, sql`p.source_photo_id is distinct from ${probe.sourcePhotoId}::uuid`);
  }
  if (probe.generationJobId) conditions.push(sql`p.generation_job_id is distinct from ${probe.generationJobId}::uuid`);
  return conditions.length ? sql`and ${sql.join(conditions, sql` and `)}` : sql``;
}

/** The photos the user said are not duplicates of this one (one column). */
function dismissedQuery(photoId: string): SQL {
  return sql`select photo_b as other from duplicate_dismissals where photo_a = ${photoId}::uuid
        union select photo_a from duplicate_dismissals where photo_b = ${photoId}::uuid`;
}

interface CandidateRow {
  id: string;
  filename: string;
  mime: string;
  width: number | null;
  height: number | null;
  stack_id: string | null;
  pdq_hash: string | null;
  pdq_quality: number | null;
  make: string | null;
  model: string | null;
  taken_at: Date | string | null;
  encoding: Encoding | null;
  lineage: Lineage | null;
  similarity: number | null;
}

/** Every kind of evidence for each candidate, whichever index found it. */
export async function measure(db: Db, ids: string[], probe: DuplicateProbe, thresholds: DuplicateThresholds): Promise<MatchEvidence[]> {
  const vector = probe.embedding ? vectorParam(probe.embedding) : null;
  const found = await rows<CandidateRow>(db, sql`${evidenceSelect(probe, vector)} where p.id = any(${uuidArray(ids)})`);
  return found.map((row) => evidenceOf(row, probe, thresholds));
}

/** The evidence columns of photos `p`, a WHERE to follow; `vector` is the probe's embedding, null without one. */
function evidenceSelect(probe: DuplicateProbe, vector: SQL | null): SQL {
  const similarity = vector
    ? sql`(select 1 - (e.embedding <=> ${vector}) from photo_embeddings e
           where e.photo_id = p.id ${probe.embeddingModel ? sql`and e.model = ${probe.embeddingModel}` : sql``})::float8`
    : sql`null::float8`;
  return sql`select p.id, p.filename, p.mime, p.width, p.height, p.pdq_hash, p.pdq_quality, p.make, p.model, p.taken_at, p.encoding, p.lineage,
        (select s.stack_id from stack_members s where s.photo_id = p.id) as stack_id, ${similarity} as similarity from photos p`;
}

function factsOf(row: CandidateRow): CopyFacts {
  return {
    id: row.id,
    filename: row.filename,
    mime: row.mime,
    width: row.width,
    height: row.height,
    takenAt: row.taken_at === null ? null : new Date(row.taken_at),
    make: row.make,
    model: row.model,
    stackId: row.stack_id,
    encoding: row.encoding,
    lineage: row.lineage,
  };
}

function evidenceOf(row: CandidateRow, probe: DuplicateProbe, thresholds: DuplicateThresholds): MatchEvidence {
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
}
