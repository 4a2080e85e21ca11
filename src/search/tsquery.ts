import { sql, type SQL } from 'drizzle-orm';
import { bigrams, hasCjk, scriptRuns } from './cjk.js';
import type { ParsedQuery, QueryPart } from './query.js';

/** The text search configuration of the migrations: English stemming, accents ignored. */
export const TS_CONFIG = sql.raw(`'shoebox'::regconfig`);

// Words are letters and digits only (query.ts), so `word:*` is always a valid to_tsquery input.
function partQuery(part: QueryPart): SQL {
  if (part.kind === 'word') return wordQuery(part.text);
  // a phrase with CJK: each of its words (their pairs are not next to the other words' in the index)
  if (part.words.some(hasCjk)) return joinQueries(part.words.map(wordQuery), '&&');
  return sql`phraseto_tsquery(${TS_CONFIG}, ${part.words.join(' ')})`;
}

/** A word as a prefix; its CJK runs as the phrase of their character pairs (search/cjk.ts), all of them. */
function wordQuery(word: string): SQL {
  if (!hasCjk(word)) return sql`to_tsquery(${TS_CONFIG}, ${`${word}:*`})`;
  const runs = scriptRuns(word).map(({ text, cjk }) => {
    const pairs = cjk ? bigrams(text) : [];
    if (!cjk || pairs.length === 1) return sql`to_tsquery(${TS_CONFIG}, ${`${pairs[0] ?? text}:*`})`;
    return sql`phraseto_tsquery(${TS_CONFIG}, ${pairs.join(' ')})`;
  });
  return runs.length === 1 ? runs[0]! : joinQueries(runs, '&&');
}

function joinQueries(queries: SQL[], operator: '&&' | '||'): SQL {
  return sql`(${sql.join(queries, sql.raw(` ${operator} `))})`;
}

/** The full-text query: every group (alternatives joined by OR) and none of the exclusions. */
export function toTsquery(parsed: ParsedQuery): SQL {
  const parts = parsed.groups.map((group) => joinQueries(group.map(partQuery), '||'));
  for (const part of parsed.excluded) parts.push(sql`!!${partQuery(part)}`);
  return joinQueries(parts, '&&');
}

/** The exclusions alone (for the trigram matches, which must respect them too), or null. */
export function exclusionTsquery(parsed: ParsedQuery): SQL | null {
  if (parsed.excluded.length === 0) return null;
  return joinQueries(parsed.excluded.map(partQuery), '||');
}
