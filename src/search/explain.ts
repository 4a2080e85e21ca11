import { sql, type SQL } from 'drizzle-orm';
import { uuidArray } from '../db/arrays.js';
import { rows, type Db } from '../db/connection.js';
import type { Alternative } from './fuzzy.js';
import type { ParsedQuery } from './query.js';
import { toTsquery, TS_CONFIG } from './tsquery.js';
import { SEARCH_FIELDS, type SearchField } from '../model/search-vocabulary.js';
import type { KeywordMatch } from './types.js';
import { objectPhrase, wordNamesObject } from './object-phrases.js';

// ts_headline marks what matched with these; they cannot occur in the fields' text (control characters).
const START = '\u0002';
const STOP = '\u0003';
const MARKED = new RegExp(`${START}([^${STOP}]*)${STOP}`, 'gu');

/**
 * Which fields of each hit matched, with the words as they are written there: for full-text hits, what
 * Postgres itself highlights for the query's positive parts (stemming and prefixes included); for trigram hits,
 * the words close to a query word. Runs on one page of hits only.
 */
export async function explainKeywordMatches(
  db: Db,
  parsed: ParsedQuery,
  alternatives: Alternative[],
  hits: { photoId: string; fuzzy: boolean }[],
): Promise<Map<string, KeywordMatch[]>> {
  const result = new Map<string, KeywordMatch[]>();
  if (parsed.empty || hits.length === 0) return result;
  const add = (photoId: string, field: SearchField, word: string) => {
    const list = result.get(photoId) ?? [];
    let match = list.find((m) => m.field === field);
    if (!match) list.push((match = { field, words: [] }));
    if (!match.words.some((w) => w.toLowerCase() === word.toLowerCase())) match.words.push(word);
    result.set(photoId, list);
  };

  const highlight = async (photoIds: string[], query: SQL) => {
    if (photoIds.length === 0) return;
    const options = `StartSel=${START}, StopSel=${STOP}, HighlightAll=true`;
    const columns = SEARCH_FIELDS.map(
      (field) =>
        sql`case when to_tsvector(${TS_CONFIG}, s.${sql.identifier(field)}) @@ q.q
            then ts_headline(${TS_CONFIG}, s.${sql.identifier(field)}, q.q, ${options}) end as ${sql.identifier(field)}`,
    );
    const found = await rows<Record<string, string | null>>(
      db,
      sql`select s.photo_id, ${sql.join(columns, sql`, `)}
          from photo_search s, (select ${query} as q) q
          where s.photo_id = any(${uuidArray(photoIds)})`,
    );
    for (const row of found) {
      for (const field of SEARCH_FIELDS) {
        const text = row[field];
        if (!text) continue;
        for (const [, word] of text.matchAll(MARKED)) if (word) add(row.photo_id!, field, word);
      }
    }
  };
  // Any positive part, without the exclusions: each field shows what it contributed.
  await highlight(
    hits.filter((hit) => !hit.fuzzy).map((hit) => hit.photoId),
    toTsquery({ ...parsed, groups: [parsed.groups.flat()], excluded: [] }),
  );
  // Typo hits: the library terms they were found by.
  if (alternatives.length > 0) {
    await highlight(
      hits.filter((hit) => hit.fuzzy).map((hit) => hit.photoId),
      sql`(${sql.join(
        alternatives.map((alt) => sql`plainto_tsquery(${TS_CONFIG}, ${alt.label})`),
        sql` || `,
      )})`,
    );
  }
  await placeOcrWords(db, result);
  await nameObjects(db, result);
  return result;
}

/** A word OCR stored, with its box in the photo's pixels (photo_ocr.words). */
interface OcrWord {
  text: string;
  box: { x: number; y: number; width: number; height: number };
}

/** Most places given for one match: enough to point at, not a page of boxes. */
const MAX_PLACES = 10;

/** Adds to each OCR match where its words are on the photo (the boxes OCR stored with them). */
async function placeOcrWords(db: Db, matches: Map<string, KeywordMatch[]>): Promise<void> {
  const ids = [...matches].filter(([, list]) => list.some((m) => m.field === 'ocr')).map(([id]) => id);
  if (ids.length === 0) return;
  const found = await rows<{ photo_id: string; width: number | null; height: number | null; words: OcrWord[] | null }>(
    db,
    sql`select o.photo_id, p.width, p.height, o.words from photo_ocr o join photos p on p.id = o.photo_id where o.photo_id = any(${uuidArray(ids)})`,
  );
  for (const row of found) {
    const match = matches.get(row.photo_id)?.find((m) => m.field === 'ocr');
    if (!match || !row.width || !row.height || !row.words) continue;
    const wanted = match.words.map((w) => w.toLowerCase());
    const where = row.words
      .filter((word) => wanted.some((w) => word.text.toLowerCase().includes(w)))
      .slice(0, MAX_PLACES)
      .map(({ box }) => ({
        x: round(box.x / row.width!),
        y: round(box.y / row.height!),
        width: round(box.width / row.width!),
        height: round(box.height / row.height!),
      }));
    if (where.length > 0) match.where = where;
  }
}

/** Adds to each tags match the detected objects its words name, with where they are ("a dog, top left"). */
async function nameObjects(db: Db, matches: Map<string, KeywordMatch[]>): Promise<void> {
  const ids = [...matches].filter(([, list]) => list.some((m) => m.field === 'tags')).map(([id]) => id);
  if (ids.length === 0) return;
  const found = await rows<{ photo_id: string; label: string; x: number; y: number; width: number; height: number }>(
    db,
    sql`select o.photo_id, o.label, o.x / p.width as x, o.y / p.height as y, o.width / p.width as width, o.height / p.height as height
        from photo_objects o join photos p on p.id = o.photo_id
        where o.photo_id = any(${uuidArray(ids)}) and p.width > 0 and p.height > 0
        order by o.photo_id, o.confidence desc`,
  );
  for (const row of found) {
    const match = matches.get(row.photo_id)?.find((m) => m.field === 'tags');
    if (!match || !match.words.some((word) => wordNamesObject(word, row.label))) continue;
    const phrases = (match.objects ??= []);
    if (phrases.length < MAX_PLACES) phrases.push(objectPhrase({ label: row.label, box: row }));
  }
}

const round = (value: number) => Math.round(Math.min(1, Math.max(0, value)) * 10_000) / 10_000;
