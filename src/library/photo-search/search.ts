import fs from 'node:fs/promises';
import { inArray } from 'drizzle-orm';
import { searchScope } from '../../scope/access.js';
import { photos } from '../../db/schema.js';
import { makeRenditions } from '../../media/decode.js';
import { ImageDecodeError, ImageTooLargeError } from '../../media/decoders/common.js';
import { detectImageType } from '../../media/detect.js';
import { DEFAULT_CUTOFF, DEFAULT_RRF_K } from '../../search/fusion.js';
import { parseQuery } from '../../search/query.js';
import { runSearch } from '../../search/engine.js';
import { photoEmbedding, similarByVector } from '../../search/similar.js';
import { suggestTerms } from '../../search/suggest.js';
import type { HitExplanation, RankedHit, SearchFilters } from '../../search/types.js';
import type { Alternative } from '../../search/fuzzy.js';
import { listByFilters } from '../../search/listing.js';
import { filterLabels, withUnderstood } from '../../search/understand/to-filters.js';
import { loadShotScores } from '../best-shot/load.js';
import { understandQuery, type UnderstandOptions } from './understanding.js';
import type { SearchMode, SuggestionKind } from '../../model/search-vocabulary.js';
import { UserError } from '../../base/errors.js';
import type { Library } from '../library.js';
import { findPhoto } from '../photos/photos.js';
import { photoListItem } from '../photos/list.js';

export interface SearchRequest {
  q: string;
  mode: SearchMode;
  filters: SearchFilters;
  page: number;
  limit: number;
  cutoff?: number;
  rrfK?: number;
  /** Read people, places, dates… out of the query (default); false: search the words exactly as typed. */
  understand?: boolean;
  /** The user's time zone (IANA) and today (YYYY-MM-DD) for dates; the server's when not given. */
  timeZone?: string;
  today?: string;
}

/** The photos of some ids, in that order (a photo deleted meanwhile is left out). */
async function photoItems(lib: Library, ids: string[]) {
  if (ids.length === 0) return new Map<string, ReturnType<typeof photoListItem>>();
  const found = await lib.db.select().from(photos).where(inArray(photos.id, ids));
  return new Map(found.map((photo) => [photo.id, photoListItem(photo)]));
}

/** How a query is understood for the user, without searching (GET /api/search/parse). */
export async function understandFor(lib: Library, q: string, options: UnderstandOptions) {
  return (await understandQuery(lib, await searchScope(lib), q, options)).understood;
}

/** For "best": how many of the top hits are ordered by the user's marks and the best-shot score. */
const BEST_WINDOW = 200;

/** Hits in the order "best" asks for: favourites, then higher ratings, then the better shot; ties keep their rank. */
async function bestFirst(lib: Library, hits: RankedHit[]): Promise<RankedHit[]> {
  const ids = hits.map((h) => h.photoId);
  const marks = new Map(
    ids.length === 0
      ? []
      : (await lib.db.select({ id: photos.id, favorite: photos.favorite, rating: photos.rating }).from(photos).where(inArray(photos.id, ids))).map((r) => [
          r.id,
          r,
        ]),
  );
  const shots = await loadShotScores(lib.db, ids);
  const key = (id: string) => [marks.get(id)?.favorite ? 1 : 0, marks.get(id)?.rating ?? 0, shots.get(id)?.score ?? 0];
  return hits
    .map((hit, index) => ({ hit, index, key: key(hit.photoId) }))
    .sort((a, b) => b.key[0]! - a.key[0]! || b.key[1]! - a.key[1]! || b.key[2]! - a.key[2]! || a.index - b.index)
    .map((entry) => entry.hit);
}

/**
 * A search as the API and the CLI run it: the query understood first (people, places, dates… become filters;
 * search/understand), then the words left searched — the query's CLIP embedding when a model is installed
 * (hybrid falls back to keyword without one, and says so), both arms fused — or, when only filters were asked
 * for, the items they keep; the page's photos with why each matched.
 */
export async function searchLibrary(lib: Library, request: SearchRequest) {
  const notices: string[] = [];
  let mode = request.mode;
  const scope = await searchScope(lib);
  const { understood, timeZone, notice, home } =
    request.understand === false
      ? { understood: null, timeZone: null, notice: null, home: null }
      : await understandQuery(lib, scope, request.q, { timeZone: request.timeZone, today: request.today });
  if (notice) notices.push(notice);
  const text = understood ? understood.text : request.q;
  const filters = understood && timeZone ? withUnderstood(request.filters, understood, timeZone, home) : request.filters;
  const satisfies = understood ? filterLabels(understood) : [];
  const parsed = parseQuery(text);
  const best = understood?.best ?? false;
  // "best" orders the top of the list, and pages walk through that: at least as deep as the page asked for
  const bestWindow = Math.max(BEST_WINDOW, request.page * request.limit);
  const answer = async (hits: RankedHit[], total: number) => {
    const items = await photoItems(
      lib,
      hits.map((hit) => hit.photoId),
    );
    return {
      items: hits.flatMap((hit) => {
        const photo = items.get(hit.photoId);
        return photo ? [{ photo, score: hit.score, explanation: { ...(hit.explanation as HitExplanation), satisfies } }] : [];
      }),
      total,
      page: request.page,
      limit: request.limit,
      mode,
      requestedMode: request.mode,
      alternatives: outcomeAlternatives,
      notices,
      understood,
    };
  };
  let outcomeAlternatives: Alternative[] = [];
  if (parsed.empty && (satisfies.length > 0 || best)) {
    // nothing left to search as words, but filters (or "best") understood: they alone list the items
    const listed = await listByFilters(lib.db, scope, filters, parsed, {
      page: best ? 1 : request.page,
      limit: best ? bestWindow : request.limit,
      best,
    });
    const noMatch = { keyword: null, semantic: null, closeMatch: false };
    let hits: RankedHit[] = listed.ids.map((photoId) => ({ photoId, score: 0, explanation: noMatch }));
    if (best) hits = (await bestFirst(lib, hits)).slice((request.page - 1) * request.limit, request.page * request.limit);
    return answer(hits, listed.total);
  }
  let embedding: Float32Array | null = null;
  let embeddingModel: string | null = null;
  if (mode !== 'keyword') {
    const clip = await lib.ml.clip();
    if (!clip) {
      const reason = `semantic search needs a CLIP model (${await lib.ml.clipMissingReason()})`;
      if (mode === 'semantic') throw new UserError('conflict', reason);
      mode = 'keyword';
      notices.push(`${reason}; these are keyword results only`);
    } else {
      // Exclusions and quotes mean nothing to CLIP: it reads the positive words.
      if (parsed.positiveText) {
        embedding = await clip.embedText(parsed.positiveText);
        embeddingModel = clip.version;
      } else if (mode === 'semantic') {
        throw new UserError('invalid', 'the query has no words to search for');
      }
    }
  }
  const page = best ? 1 : request.page;
  const limit = best ? bestWindow : request.limit;
  const outcome = await runSearch(
    lib.db,
    scope,
    { text, embedding, embeddingModel },
    { mode, filters, page, limit, cutoff: request.cutoff ?? DEFAULT_CUTOFF, rrfK: request.rrfK ?? DEFAULT_RRF_K },
  );
  outcomeAlternatives = outcome.alternatives;
  const hits = best ? (await bestFirst(lib, outcome.hits)).slice((request.page - 1) * request.limit, request.page * request.limit) : outcome.hits;
  return answer(hits, outcome.total);
}

export interface SimilarRequest {
  filters: SearchFilters;
  limit: number;
  minSimilarity?: number;
}

async function similarItems(lib: Library, hits: Awaited<ReturnType<typeof similarByVector>>, source: Record<string, unknown>) {
  const items = await photoItems(
    lib,
    hits.map((hit) => hit.photoId),
  );
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
  const stored = await photoEmbedding(lib, photoId);
  if (!stored) {
    const clip = await lib.ml.clip();
    throw new UserError(
      'conflict',
      clip
        ? `photo ${photoId} has no embedding yet (its embeddings step has not run)`
        : `image search needs a CLIP model (${await lib.ml.clipMissingReason()})`,
    );
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
  if (!clip) throw new UserError('conflict', `image search needs a CLIP model (${await lib.ml.clipMissingReason()})`);
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
  return { items: await suggestTerms(lib.db, scope, q, limit, kinds) };
}
