import { sql } from 'drizzle-orm';
import { uuidArray } from '../db/arrays.js';
import { rows, type Db } from '../db/connection.js';
import { parseVector, vectorLiteral } from '../db/vectors.js';
import { filterCondition } from './filters.js';
import type { SearchFilters } from './types.js';

export interface SimilarHit {
  photoId: string;
  similarity: number;
  rank: number;
}

export interface SimilarOptions {
  filters: SearchFilters;
  limit: number;
  /** Photos left out (the photo searched from). */
  exclude?: readonly string[];
  /** Hits below this cosine similarity are dropped. */
  minSimilarity?: number;
  /** Only embeddings of this model version are compared. */
  model?: string | null;
}

/** Nearest photos to an embedding through the HNSW index, the filters inside the scan. */
export async function similarByVector(db: Db, ownerId: string, embedding: Float32Array, options: SimilarOptions): Promise<SimilarHit[]> {
  const vector = sql`${vectorLiteral(embedding)}::vector`;
  const exclude = options.exclude?.length ? sql`and e.photo_id <> all(${uuidArray(options.exclude)})` : sql``;
  const model = options.model ? sql`and e.model = ${options.model}` : sql``;
  const found = await rows<{ photo_id: string; distance: number }>(
    db,
    sql`select photo_id, distance from (
          select e.photo_id, (e.embedding <=> ${vector})::float8 as distance
          from photo_embeddings e join photos p on p.id = e.photo_id
          where ${filterCondition(ownerId, options.filters)} ${exclude} ${model}
          order by e.embedding <=> ${vector}
          limit ${options.limit}) nearest
        order by distance, photo_id`,
  );
  const min = options.minSimilarity ?? -1;
  return found
    .map((row, i) => ({ photoId: row.photo_id, similarity: 1 - row.distance, rank: i + 1 }))
    .filter((hit) => hit.similarity >= min);
}

/** A photo's own stored embedding, with the model that made it; null when it has none. */
export async function photoEmbedding(db: Db, ownerId: string, photoId: string): Promise<{ embedding: Float32Array; model: string } | null> {
  const [row] = await rows<{ embedding: string; model: string }>(
    db,
    sql`select e.embedding::text as embedding, e.model from photo_embeddings e join photos p on p.id = e.photo_id
        where e.photo_id = ${photoId}::uuid and p.owner_id = ${ownerId}::uuid`,
  );
  if (!row) return null;
  return { embedding: parseVector(row.embedding), model: row.model };
}
