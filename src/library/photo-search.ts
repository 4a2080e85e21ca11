import { searchScope } from './access.js';
import { scopeOwners } from '../search/scope.js';
import fs from 'node:fs/promises';
import { inArray } from 'drizzle-orm';
import { photos } from '../db/schema.js';
import { makeRenditions } from '../media/decode.js';
import { ImageDecodeError, ImageTooLargeError } from '../media/decoders/common.js';
import { detectImageType } from '../media/detect.js';
import { DEFAULT_CUTOFF, DEFAULT_RRF_K } from '../search/fusion.js';
import { parseQuery } from '../search/query.js';
import { runSearch } from '../search/engine.js';
import { photoEmbedding, similarByVector } from '../search/similar.js';
import { suggestTerms } from '../search/suggest.js';
import type { HitExplanation, SearchFilters } from '../search/types.js';
import type { SearchMode, SuggestionKind } from '../model/search-vocabulary.js';
import { UserError } from '../base/errors.js';
import type { Library } from './library.js';
import { findPhoto } from './photos.js';
import { photoListItem } from './photo-list.js';

export interface SearchRequest {
  q: string;
  mode: SearchMode;
  filters: SearchFilters;
  page: number;
  limit: number;
  cutoff?: number;
  rrfK?: number;
}

/** The photos of some ids, in that order (a photo deleted meanwhile is left out). */
async function photoItems(lib: Library, ids: string[]) {
  if (ids.length === 0) return new Map<string, ReturnType<typeof photoListItem>>();
  const found = await lib.db.select().from(photos).where(inArray(photos.id, ids));
  return new Map(found.map((photo) => [photo.id, photoListItem(photo)]));
}

/**
 * A search as the API and the CLI run it: the query's CLIP embedding when a model is installed (hybrid falls
 * back to keyword without one, and says so), both arms fused, the page's photos with why each matched.
 */
export async function searchLibrary(lib: Library, request: SearchRequest) {
  const notices: string[] = [];
  let mode = request.mode;
  let embedding: Float32Array | null = null;
  let embeddingModel: string | null = null;
  if (mode !== 'keyword') {
    const clip = await lib.ml.clip();
    if (!clip) {
      const reason = `semantic search needs a CLIP model (${lib.ml.clipMissingReason()})`;
      if (mode === 'semantic') throw new UserError('conflict', reason);
      mode = 'keyword';
      notices.push(`${reason}; these are keyword results only`);
    } else {
      // Exclusions and quotes mean nothing to CLIP: it reads the positive words.
      const text = parseQuery(request.q).positiveText;
      if (text) {
        embedding = await clip.embedText(text);
        embeddingModel = clip.version;
      } else if (mode === 'semantic') {
        throw new UserError('invalid', 'the query has no words to search for');
      }
    }
  }
  const outcome = await runSearch(
    lib.db,
    await searchScope(lib),
    { text: request.q, embedding, embeddingModel },
    {
      mode,
      filters: request.filters,
      page: request.page,
      limit: request.limit,
      cutoff: request.cutoff ?? DEFAULT_CUTOFF,
      rrfK: request.rrfK ?? DEFAULT_RRF_K,
    },
  );
  const items = await photoItems(lib, outcome.hits.map((hit) => hit.photoId));
  return {
    items: outcome.hits.flatMap((hit) => {
      const photo = items.get(hit.photoId);
      return photo ? [{ photo, score: hit.score, explanation: hit.explanation as HitExplanation }] : [];
    }),
    total: outcome.total,
    page: request.page,
    limit: request.limit,
    mode,
    requestedMode: request.mode,
    alternatives: outcome.alternatives,
    notices,
  };
}

export interface SimilarRequest {
  filters: SearchFilters;
  limit: number;
  minSimilarity?: number;
}

async function similarItems(lib: Library, hits: Awaited<ReturnType<typeof similarByVector>>, source: Record<string, unknown>) {
  const items = await photoItems(lib, hits.map((hit) => hit.photoId));
  return {
    source,
    items: hits.flatMap((hit) => {
      const photo = items.get(hit.photoId);
      return photo ? [{ photo, similarity: hit.similarity, rank: hit.rank }] : [];
    }),
  };
}

/** Photos that look like one of the library's photos (its stored embedding; itself left out). */
export async function similarToPhoto(lib: Library, photoId: string, request: SimilarRequest) {
  if (!(await findPhoto(lib, photoId))) throw new UserError('not-found', `no photo with id ${photoId}`);
  const stored = await photoEmbedding(lib.db, lib.ownerId, photoId);
  if (!stored) {
    const clip = await lib.ml.clip();
    throw new UserError('conflict', clip ? `photo ${photoId} has no embedding yet (its embeddings step has not run)` : `image search needs a CLIP model (${lib.ml.clipMissingReason()})`);
  }
  const hits = await similarByVector(lib.db, await searchScope(lib), stored.embedding, {
    filters: request.filters,
    limit: request.limit,
    exclude: [photoId],
    minSimilarity: request.minSimilarity,
    model: stored.model,
  });
  return similarItems(lib, hits, { photoId });
}

/**
 * Photos that look like an image that is not in the library: decoded like an upload (any supported format,
 * upright), embedded, and thrown away. `file` is a temp file the caller owns.
 */
export async function similarToImage(lib: Library, file: string, filename: string, request: SimilarRequest) {
  const clip = await lib.ml.clip();
  if (!clip) throw new UserError('conflict', `image search needs a CLIP model (${lib.ml.clipMissingReason()})`);
  const type = await detectImageType(file);
  if (!type.supported) throw new UserError('unsupported-type', `${filename} is a ${type.description}, not a supported image`);
  const preview = lib.scratch.tempPath() + '.jpg';
  try {
    let renditions;
    try {
      renditions = await makeRenditions(file, type.mime, { thumbnailSize: 16 });
    } catch (error) {
      if (error instanceof ImageDecodeError || error instanceof ImageTooLargeError) {
        throw new UserError('unprocessable', `${filename} could not be read: ${error.message}`);
      }
      throw error;
    }
    await fs.writeFile(preview, renditions.preview);
    const embedding = await clip.embedImage(preview);
    const hits = await similarByVector(lib.db, await searchScope(lib), embedding, {
      filters: request.filters,
      limit: request.limit,
      minSimilarity: request.minSimilarity,
      model: clip.version,
    });
    return similarItems(lib, hits, { filename });
  } finally {
    await fs.rm(preview, { force: true });
  }
}

export async function suggest(lib: Library, q: string, limit: number, kinds?: SuggestionKind[]) {
  const scope = await searchScope(lib);
  return { items: await suggestTerms(lib.db, scopeOwners(scope), q, limit, kinds, scope.albumIds) };
}
