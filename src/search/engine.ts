import { sql, type SQL } from 'drizzle-orm';
import { uuidArray } from '../db/arrays.js';
import { HNSW_EF_SEARCH, type Db } from '../db/connection.js';
import { explainKeywordMatches } from './explain.js';
import { filterCondition, narrows } from './filters.js';
import type { PhotoScope } from '../scope/photo-scope.js';
import { nearestScan } from './nearest.js';
import { eitherWay, keptPhotos, serialRows, WHEN_FEW } from './narrowing.js';
import { parseQuery, type ParsedQuery } from './query.js';
import { FUZZY_WHEN_FEWER_THAN, fuzzyAlternatives, type Alternative } from './fuzzy.js';
import { exclusionTsquery, toTsquery, TS_CONFIG } from './tsquery.js';
import type { SearchMode } from '../model/search-vocabulary.js';
import type { RankedHit, SearchOptions } from './types.js';
import { ownsSql } from '../scope/rows.js';

/**
 * How deep each arm ranks. Fixed (not derived from the page) so that the same query always fuses the same
 * lists and pages never reshuffle; the fused list is what pages walk through.
 */
export const KEYWORD_DEPTH = 500;
/** No deeper than the HNSW scan's candidate list: a deeper LIMIT makes pgvector iterate the scan (twice the time). */
export const SEMANTIC_DEPTH = HNSW_EF_SEARCH;
/**
 * Full-text candidates ranked per pass: a word found in most photos must not rank them all (DECISIONS.md).
 * The first pass takes photos where the words are in a strong field (tags, people, places, keywords).
 */
export const KEYWORD_CANDIDATES = 200;
const FUZZY_LIMIT = 200;

export interface SearchInput {
  text: string;
  /** The query's CLIP text embedding; null when there is no model (the semantic arm is then empty). */
  embedding: Float32Array | null;
  /** Only embeddings of this model version are compared (others are being redone). */
  embeddingModel?: string | null;
}

export interface SearchOutcome {
  hits: RankedHit[];
  /** Length of the fused list (each arm is ranked to a fixed depth). */
  total: number;
  parsed: ParsedQuery;
  /** Library terms searched for instead of what was typed, when that found (almost) nothing. */
  alternatives: Alternative[];
}

interface FusedRow {
  total: number;
  kw_total: number;
  sem_ids: string[] | null;
  sem_similarities: number[] | null;
  photo_id: string;
  score: number;
  kw_rank: string | null;
  kw_score: number | null;
  fuzzy: boolean | null;
  close_match: boolean | null;
  sem_rank: string | null;
  similarity: number | null;
}

const NO_KEYWORD_ARM = sql`kw as (select null::uuid as photo_id, 0::float8 as score, false as fuzzy, 0::bigint as rank where false)`;

const NO_SEMANTIC_ARM = sql`sem as (select null::uuid as photo_id, 0::float8 as similarity, 0::bigint as rank where false)`;

const nothing = (columns: string) => sql.raw(`select ${columns} where false`);

function keywordArm(parsed: ParsedQuery, ownerId: string, filter: SQL, filtered: boolean, alternatives: Alternative[]): SQL {
  if (parsed.empty) return NO_KEYWORD_ARM;
  const query = toTsquery(parsed);
  const excluded = exclusionTsquery(parsed);
  const fuzzy =
    alternatives.length > 0
      ? sql.join(
          alternatives.map(
            (alt) => sql`(select s.photo_id, ${alt.similarity}::float8 as score, true as fuzzy
              from photo_search s join photos p on p.id = s.photo_id
              where s.document @@ plainto_tsquery(${TS_CONFIG}, ${alt.label}) and ${filter}
                ${excluded ? sql`and not (s.document @@ ${excluded})` : sql``}
              limit ${FUZZY_LIMIT})`,
          ),
          sql` union all `,
        )
      : nothing('null::uuid as photo_id, 0::float8 as score, true as fuzzy');
  // the search rows matching `condition`, from the kept photos when the scope keeps few, else from the index
  const candidates = (condition: SQL) =>
    eitherWay(
      // a semi-join the planner may take either way: each kept photo's row checked (a common word), or the words'
      // index read and its rows kept by a hash of the kept photos (a rarer word: at 200k, 6,000 probes of a year's
      // photos were most of a hybrid search's time)
      sql`select s.photo_id from photo_search s
          where ${WHEN_FEW} and s.photo_id in (select k.id from kept k) and ${condition} limit ${KEYWORD_CANDIDATES}`,
      // without filters the search rows alone answer: they carry the owner, and only live photos have one
      filtered
        ? (gate) => sql`select s.photo_id from photo_search s join photos p on p.id = s.photo_id
            where ${gate} ${condition} and ${filter} limit ${KEYWORD_CANDIDATES}`
        : (gate) => sql`select s.photo_id from photo_search s
            where ${gate} ${ownsSql(ownerId, 's')} and ${condition} limit ${KEYWORD_CANDIDATES}`,
    );
  const notExcluded = excluded ? sql`and not (s.document @@ ${excluded})` : sql``;
  return sql`
    kw_q as materialized (select ${query} as q),
    kw_strong as materialized (${candidates(sql`s.strong @@ ${query} ${notExcluded}`)}),
    -- the weaker fields only when the strong ones did not fill the candidates (a common tag stops here)
    kw_any as (${candidates(sql`(select count(*) from kw_strong) < ${KEYWORD_CANDIDATES} and s.document @@ (select q from kw_q)`)}),
    kw_fts as materialized (
      select s.photo_id, ts_rank_cd(s.document, (select q from kw_q))::float8 as score, false as fuzzy
      from photo_search s
      where s.photo_id in (select photo_id from kw_strong union select photo_id from kw_any)),
    kw_fuzzy as materialized (
      select photo_id, max(score) as score, true as fuzzy from (${fuzzy}) alternatives
      where photo_id not in (select photo_id from kw_fts)
      group by photo_id),
    kw as materialized (
      select photo_id, score, fuzzy, row_number() over (order by fuzzy, score desc, photo_id) as rank
      from (select * from kw_fts union all select * from kw_fuzzy) both_passes
      order by rank limit ${KEYWORD_DEPTH})`;
}

/** `ownerAlone`: the owner whose own photos the scope is, when no filter narrows them (narrowing.ts, nearest.ts). */
function semanticArm(input: SearchInput, ownerAlone: string | undefined, filter: SQL): SQL {
  if (!input.embedding) return NO_SEMANTIC_ARM;
  const scan = nearestScan('sem_scan', {
    embedding: input.embedding,
    filter,
    limit: SEMANTIC_DEPTH,
    model: input.embeddingModel,
    ownerId: ownerAlone,
  });
  return sql`${scan},
    sem as materialized (
      select photo_id, 1 - distance as similarity, row_number() over (order by distance, photo_id) as rank
      from sem_scan)`;
}

/** The semantic arm as the first run of the statement ranked it: a typo re-run changes only the keyword arm. */
function rankedAgain(ids: readonly string[], similarities: readonly number[]): SQL {
  if (ids.length === 0) return NO_SEMANTIC_ARM;
  return sql`sem as materialized (
    select u.photo_id, u.similarity, u.rank
    from unnest(${uuidArray(ids)}, ${`{${similarities.join(',')}}`}::float8[]) with ordinality as u(photo_id, similarity, rank))`;
}

/**
 * The semantic arm alone, paged: what the fused statement gives when the keyword arm is empty (each score is
 * 1/(k + rank), so the order is the rank's), without a full join, the counts of an empty arm and the
 * typo re-run's ranking: a smaller statement to plan, ~1 ms of the semantic mode's ~8 at 100k photos.
 */
function semanticPage(db: Db, kept: SQL, semantic: SQL, options: SearchOptions, offset: number): Promise<FusedRow[]> {
  return serialRows<FusedRow>(
    db,
    sql`with ${kept} ${semantic},
      fused as materialized (
        select photo_id, 1.0::float8 / (${options.rrfK}::int + rank) as score, rank, similarity from sem
        where similarity >= ${options.cutoff}::float8 * (select max(similarity) from sem))
      select (select count(*) from fused)::int as total, 0 as kw_total, null as sem_ids, null as sem_similarities,
        page.photo_id, page.score, null as kw_rank, null as kw_score, null as fuzzy, false as close_match, page.rank as sem_rank, page.similarity
      -- one row even past the end, to carry the count
      from (select 1) one left join lateral (
        select * from fused order by rank limit ${options.limit} offset ${offset}) page on true
      order by page.rank`,
  );
}

/**
 * One search: the keyword arm (full text over the weighted documents, then trigrams when that finds little),
 * the semantic arm (HNSW over the CLIP embeddings, filters inside the scan), fused by RRF with the cutoff, all
 * in one statement; then the matched fields of the page's hits.
 */
export async function runSearch(db: Db, scope: PhotoScope, input: SearchInput, options: SearchOptions): Promise<SearchOutcome> {
  const ownerId = scope.userId;
  const parsed = parseQuery(input.text);
  const mode: SearchMode = options.mode;
  const filter = filterCondition(scope, options.filters);
  const useKeyword = mode !== 'semantic' && !parsed.empty;
  const useSemantic = mode !== 'keyword' && input.embedding !== null;
  // a filter, or photos shared with the user: each candidate is checked against the photos
  const filtered = narrows(scope, options.filters);
  const ownerAlone = filtered ? undefined : ownerId;
  const semantic = semanticArm(useSemantic ? input : { ...input, embedding: null }, ownerAlone, filter);
  const offset = (options.page - 1) * options.limit;
  // the `kept`/`few` CTEs that open the statement: when the scope keeps few photos (a filter, or a small owner's
  // own library among others') both arms rank those exactly (narrowing.ts)
  const kept = useKeyword || useSemantic ? sql`${keptPhotos(filter, ownerAlone)},` : sql``;
  // Only a keyword arm can call for a typo re-run, and only a semantic arm has a ranking to hand over to it.
  const carryRanking = useKeyword && useSemantic;
  const fusedPage = (alternatives: Alternative[], semantic: SQL) =>
    serialRows<FusedRow>(
      db,
      sql`with ${kept}
      ${useKeyword ? keywordArm(parsed, ownerId, filter, filtered, alternatives) : NO_KEYWORD_ARM}, ${semantic},
      best as (select max(similarity) as best from sem),
      -- a typo pass's photos come after all others when the words as typed found photos too (fusion.ts)
      words_matched as (select exists (select 1 from kw where not fuzzy) as yes),
      fused as materialized (
        select coalesce(kw.photo_id, sem.photo_id) as photo_id,
          coalesce(1.0::float8 / (${options.rrfK}::int + kw.rank), 0) + coalesce(1.0::float8 / (${options.rrfK}::int + sem.rank), 0) as score,
          kw.rank as kw_rank, kw.score as kw_score, kw.fuzzy, coalesce(kw.fuzzy, false) and (select yes from words_matched) as close_match,
          sem.rank as sem_rank, sem.similarity
        from kw full join sem on sem.photo_id = kw.photo_id
        where kw.photo_id is not null or sem.similarity >= ${options.cutoff}::float8 * (select best from best))
      -- one row even past the end, to carry the counts
      select counts.total, counts.kw_total,
        -- the semantic arm's ranking for a typo re-run: only when one may follow, and on the first row alone
        case when page.page_row is null or page.page_row = 1 then counts.sem_ids end as sem_ids,
        case when page.page_row is null or page.page_row = 1 then counts.sem_similarities end as sem_similarities,
        page.photo_id, page.score, page.kw_rank, page.kw_score, page.fuzzy, page.close_match, page.sem_rank, page.similarity
      from
        (select (select count(*) from fused)::int as total, (select count(*) from kw)::int as kw_total,
                case when ${sql.raw(String(carryRanking))} and (select count(*) from kw) < ${FUZZY_WHEN_FEWER_THAN}
                  then (select array_agg(photo_id::text order by rank) from sem) end as sem_ids,
                case when ${sql.raw(String(carryRanking))} and (select count(*) from kw) < ${FUZZY_WHEN_FEWER_THAN}
                  then (select array_agg(similarity order by rank) from sem) end as sem_similarities) counts
        left join lateral (
          select *, row_number() over (order by close_match, score desc, kw_rank asc nulls last, sem_rank asc nulls last, photo_id) as page_row from (
            select * from fused order by close_match, score desc, kw_rank asc nulls last, sem_rank asc nulls last, photo_id
            limit ${options.limit} offset ${offset}) ranked) page on true
      order by page.close_match, page.score desc, page.kw_rank asc nulls last, page.sem_rank asc nulls last, page.photo_id`,
    );
  let alternatives: Alternative[] = [];
  let found = useKeyword || !useSemantic ? await fusedPage(alternatives, semantic) : await semanticPage(db, kept, semantic, options, offset);
  // Few photos have the words as typed: look for library terms that resemble them, and search again with those
  // (the semantic arm as it was ranked: it does not depend on the words).
  if (useKeyword && (found[0]?.kw_total ?? 0) < FUZZY_WHEN_FEWER_THAN) {
    alternatives = await fuzzyAlternatives(db, scope, parsed);
    if (alternatives.length > 0) {
      const first = found[0];
      found = await fusedPage(alternatives, rankedAgain(first?.sem_ids ?? [], first?.sem_similarities ?? []));
    }
  }
  const total = found[0]?.total ?? 0;
  found = found.filter((row) => row.photo_id !== null);
  const matches = await explainKeywordMatches(
    db,
    parsed,
    alternatives,
    found.filter((row) => row.kw_rank !== null).map((row) => ({ photoId: row.photo_id, fuzzy: row.fuzzy === true })),
  );
  const hits: RankedHit[] = found.map((row) => ({
    photoId: row.photo_id,
    score: row.score,
    explanation: {
      keyword:
        row.kw_rank === null
          ? null
          : { rank: Number(row.kw_rank), score: row.kw_score ?? 0, fuzzy: row.fuzzy === true, matches: matches.get(row.photo_id) ?? [] },
      semantic: row.sem_rank === null ? null : { rank: Number(row.sem_rank), similarity: row.similarity ?? 0 },
      closeMatch: row.close_match === true,
    },
  }));
  return { hits, total, parsed, alternatives };
}
