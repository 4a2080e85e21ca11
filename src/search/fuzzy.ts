import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/connection.js';
import type { ParsedQuery } from './query.js';
import { toTsquery, TS_CONFIG } from './tsquery.js';
import { ownedByAnySql } from '../scope/rows.js';
import { scopeOwners, type PhotoScope } from '../scope/photo-scope.js';

/** The typo pass runs when the full text finds fewer photos than this. */
export const FUZZY_WHEN_FEWER_THAN = 20;
/** Similar terms tried at most. */
const ALTERNATIVES = 5;

export interface Alternative {
  /** A term of the library (tag, person, place, camera) close to what was typed. */
  label: string;
  /** pg_trgm word similarity of the typed text to it (≥ 0.5). */
  similarity: number;
}

/**
 * "Did you mean": when the words as typed find (almost) nothing, the library's own terms that look like them —
 * `Curei` → `Marie Curie`, `tulps` → `tulips` — found by trigram similarity in the small terms table rather
 * than over every photo's text, so a typo costs the same in a library of any size. The keyword arm then
 * searches for those terms (engine.ts); when the words as typed found photos too, those come after them.
 */
export async function fuzzyAlternatives(db: Db, scope: PhotoScope, parsed: ParsedQuery): Promise<Alternative[]> {
  const typed = parsed.positiveText.toLowerCase();
  if (typed.length < 3) return [];
  return db.transaction(async (tx) => {
    // The planner under-prices word_similarity and would compare every term; the trigram index is far cheaper.
    await tx.execute(sql`set local enable_seqscan = off`);
    return rows<Alternative>(
      tx as unknown as Db,
      sql`select label, max(word_similarity(${typed}, normalized))::float8 as similarity
          from search_terms
          where ${ownedByAnySql(scopeOwners(scope), 'search_terms')} and photos > 0 and label <> '' and ${typed} <% normalized
            and lower(unaccent(label)) <> ${typed}
            -- a term the words as typed already match ("Canon EOS R5" for "EOS R5") is not another spelling
            and not (to_tsvector(${TS_CONFIG}, label) @@ ${toTsquery(parsed)})
          group by label
          order by similarity desc, label limit ${ALTERNATIVES}`,
    );
  });
}
