import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/connection.js';
import { parseVector } from '../db/vector-values.js';
import { filterCondition, narrows } from './filters.js';
import type { PhotoScope } from '../scope/photo-scope.js';
import { nearestScan } from './nearest.js';
import { keptPhotos, serialRows } from './narrowing.js';
import type { SearchFilters } from './types.js';
import { ownsSql, type OwnerView } from '../scope/rows.js';

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

/** Nearest photos to an embedding (see nearestScan), the filters inside the scan. */
export async function similarByVector(db: Db, scope: PhotoScope, embedding: Float32Array, options: SimilarOptions): Promise<SimilarHit[]> {
  const filter = filterCondition(scope, options.filters);
  const ownerAlone = narrows(scope, options.filters) ? undefined : scope.userId;
  // the kept photos ranked exactly when the scope keeps few (a filter, or a small owner's library): narrowing.ts
  const scan = nearestScan('nearest', {
    embedding,
    filter,
    limit: options.limit,
    model: options.model,
    exclude: options.exclude,
    ownerId: ownerAlone,
  });
  const found = await serialRows<{ photo_id: string; distance: number }>(
    db,
    sql`with ${keptPhotos(filter, ownerAlone)}, ${scan}
        select photo_id, distance from nearest order by distance, photo_id`,
  );
  const min = options.minSimilarity ?? -1;
  return found.map((row, i) => ({ photoId: row.photo_id, similarity: 1 - row.distance, rank: i + 1 })).filter((hit) => hit.similarity >= min);
}

/** A photo's own stored embedding, with the model that made it; null when it has none. */
export async function photoEmbedding(owner: OwnerView, photoId: string): Promise<{ embedding: Float32Array; model: string } | null> {
  const [row] = await rows<{ embedding: string; model: string }>(
    owner.db,
    sql`select e.embedding::text as embedding, e.model from photo_embeddings e join photos p on p.id = e.photo_id
        where e.photo_id = ${photoId}::uuid and ${ownsSql(owner, 'p')}`,
  );
  if (!row) return null;
  return { embedding: parseVector(row.embedding), model: row.model };
}
