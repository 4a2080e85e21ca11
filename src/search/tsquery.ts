import { sql, type SQL } from 'drizzle-orm';
import type { ParsedQuery, QueryPart } from './query.js';

/** The text search configuration of the migrations: English stemming, accents ignored. */
export const TS_CONFIG = sql.raw(`'shoebox'::regconfig`);

// Words are letters and digits only (query.ts), so `word:*` is always a valid to_tsquery input.
function partQuery(part: QueryPart): SQL {
  if (part.kind === 'word') return sql`to_tsquery(${TS_CONFIG}, ${`${part.text}:*`})`;
  return sql`phraseto_tsquery(${TS_CONFIG}, ${part.words.join(' ')})`;
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
  return joinQueries(
    parsed.excluded.map(partQuery),
    '||',
  );
}
