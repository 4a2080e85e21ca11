import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/connection.js';
import type { SuggestionKind } from '../model/search-vocabulary.js';
import { escapeLike } from './filters.js';
import { termsCondition, type PhotoScope } from '../scope/photo-scope.js';

export interface Suggestion {
  kind: SuggestionKind;
  /** What to put in the search box (or the filter). */
  label: string;
  /** The person's or album's id; the lower-case value otherwise. */
  key: string;
  /** Photos it finds. */
  photos: number;
  /** `prefix` (the term starts with what was typed), `word` (one of its words does), `similar` (trigrams). */
  match: 'prefix' | 'word' | 'similar';
}

const MATCH_KINDS = ['prefix', 'word', 'similar'] as const;

/**
 * Terms as you type: those starting with the text first, then those with a word starting with it, then the
 * similar ones (typos), each by how many photos they find. Reads one small table (one row per distinct
 * term), kept current by the search rows' refresh. The scope's terms: its owners', and the names of the albums
 * shared with the user, which belong to their owners (termsCondition).
 */
export async function suggestTerms(db: Db, scope: PhotoScope, text: string, limit: number, kinds?: readonly SuggestionKind[]): Promise<Suggestion[]> {
  const typed = text.trim().replace(/\s+/g, ' ');
  if (!typed) return [];
  const escaped = escapeLike(typed);
  // One or two letters: prefixes only (the btree index); from three, words inside terms and typos (trigrams).
  const matching =
    typed.length < 3
      ? sql`(st.normalized like typed.e || '%' or st.normalized like '% ' || typed.e || '%')`
      : sql`(st.normalized like '%' || typed.e || '%' or st.normalized % typed.t)`;
  const kindFilter = kinds?.length
    ? sql`and st.kind in (${sql.join(
        kinds.map((k) => sql`${k}`),
        sql`, `,
      )})`
    : sql``;
  const found = await rows<{ kind: SuggestionKind; label: string; key: string; photos: number; tier: number }>(
    db,
    sql`with typed as (select lower(unaccent(${typed})) as t, lower(unaccent(${escaped})) as e)
        select st.kind, st.label, st.key, st.photos,
          case when st.normalized like typed.e || '%' then 0
               when st.normalized like '% ' || typed.e || '%' then 1 else 2 end as tier
        from search_terms st, typed
        where ${termsCondition(scope, 'st')} and st.photos > 0 and st.label <> '' ${kindFilter}
          and ${matching}
          and not exists (select 1 from people pe where st.kind = 'person' and pe.id::text = st.key and pe.hidden)
        order by tier, st.photos desc, similarity(st.normalized, typed.t) desc, st.label, st.kind
        limit ${limit}`,
  );
  // a partner's library can hold the same camera or tag: one suggestion for a label (the best placed)
  const seen = new Set<string>();
  const unique = found.filter((row) => {
    const id = `${row.kind}\u0000${row.label.toLowerCase()}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return unique.map((row) => ({ kind: row.kind, label: row.label, key: row.key, photos: row.photos, match: MATCH_KINDS[row.tier]! }));
}
