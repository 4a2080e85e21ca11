// A search query read by a language model, when the setting asks for it (SHOEBOX_SEARCH_MODEL=on) and the local
// reading (search/understand) left it unexplained: the caption endpoint's chat model (the text stage when there is
// one) returns the same structure as JSON, checked here; its names count only when they are the user's own (the
// model never sees the user's names: only the query and today's date are sent). Bounded in time, never required:
// any failure keeps the local reading and says why.
import { z } from 'zod';
import { createTextChatClient } from '../../ml/captions/index.js';
import { compare, iso, rangeLabel, type LocalDate } from '../../search/understand/calendar.js';
import { STOP_WORDS } from '../../search/understand/lexicon.js';
import type { Understood, UnderstoodPart } from '../../search/understand/understood.js';
import { fold } from '../../search/understand/tokens.js';
import { keyOf, type Vocabulary } from '../../search/understand/vocabulary.js';
import type { Library } from '../library.js';

/** The longest a search waits for the model. */
export const SEARCH_MODEL_TIMEOUT_MS = 4000;

const ISO_DAY = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const reading = z.object({
  people: z.array(z.string().max(100)).max(10).default([]),
  places: z.array(z.string().max(100)).max(10).default([]),
  from: ISO_DAY.nullable().default(null),
  to: ISO_DAY.nullable().default(null),
  type: z.enum(['photo', 'video']).nullable().default(null),
  favorite: z.boolean().nullable().default(null),
  minRating: z.number().int().min(1).max(5).nullable().default(null),
  text: z.string().max(500).default(''),
});

const JSON_SCHEMA = {
  name: 'photo_search',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['people', 'places', 'from', 'to', 'type', 'favorite', 'minRating', 'text'],
    properties: {
      people: { type: 'array', items: { type: 'string' } },
      places: { type: 'array', items: { type: 'string' } },
      from: { type: ['string', 'null'] },
      to: { type: ['string', 'null'] },
      type: { type: ['string', 'null'], enum: ['photo', 'video', null] },
      favorite: { type: ['boolean', 'null'] },
      minRating: { type: ['integer', 'null'] },
      text: { type: 'string' },
    },
  },
};

/** Nothing read locally, and at least three words that are not little words: worth asking the model. */
export function unexplained(understood: Understood): boolean {
  if (understood.parts.some((p) => p.kind !== 'text')) return false;
  return understood.text.split(/\s+/).filter((w) => w.length > 2 && !STOP_WORDS.has(fold(w))).length >= 3;
}

const dayOf = (text: string): LocalDate => {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  return { year, month, day };
};

function validDay(text: string | null): LocalDate | null {
  if (!text) return null;
  const d = dayOf(text);
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day));
  return t.getUTCFullYear() === d.year && t.getUTCMonth() === d.month - 1 && t.getUTCDate() === d.day && d.year >= 1826 && d.year <= 2999 ? d : null;
}

/** The model's answer as an understanding: only the user's own people and places, dates that exist. */
export function fromModel(query: string, answer: z.output<typeof reading>, vocabulary: Vocabulary, base: Understood): Understood {
  const folded = fold(query);
  // where the model's name is in the query as typed (case aside): a chip can take it out; elsewhere, nothing to take
  const lower = query.toLowerCase();
  const at = (name: string) => {
    const start = lower.indexOf(name.toLowerCase());
    return start >= 0 && name ? { start, end: start + name.length } : { start: query.length, end: query.length };
  };
  const parts: UnderstoodPart[] = [];
  const people: Understood['people'] = [];
  for (const name of answer.people) {
    const entry = vocabulary.people
      .get(keyOf(name))
      ?.slice()
      .sort((a, b) => b.photos - a.photos)[0];
    if (!entry || people.some((p) => p.id === entry.id)) continue;
    people.push({ id: entry.id, name: entry.name, negated: false });
    parts.push({ kind: 'person', label: entry.name, negated: false, ...at(name) });
  }
  const places: Understood['places'] = [];
  for (const name of answer.places) {
    const place = vocabulary.places.get(keyOf(name));
    if (!place || places.some((p) => p.name === place.name)) continue;
    places.push({ name: place.name, negated: false });
    parts.push({ kind: 'place', label: place.name, negated: false, ...at(name) });
  }
  const dates: Understood['dates'] = [];
  const from = validDay(answer.from);
  const to = validDay(answer.to) ?? from;
  if (from && to && compare(from, to) <= 0) {
    const label = rangeLabel({ from, to });
    dates.push({ from: iso(from), to: iso(to), label, negated: false });
    parts.push({ kind: 'date', label, negated: false, start: query.length, end: query.length });
  }
  if (answer.type)
    parts.push({ kind: 'type', label: answer.type === 'video' ? 'videos' : 'photos only', negated: false, start: query.length, end: query.length });
  if (answer.favorite) parts.push({ kind: 'favorite', label: 'favourites', negated: false, start: query.length, end: query.length });
  if (answer.minRating) parts.push({ kind: 'rating', label: `${answer.minRating}★ and up`, negated: false, start: query.length, end: query.length });
  if (parts.length === 0) return base;
  // the words to look for: the model's, kept to words of the query (it must not add any)
  const words = answer.text.split(/\s+/).filter((w) => w && folded.includes(fold(w)));
  return {
    ...base,
    people,
    places,
    dates,
    type: answer.type,
    favorite: answer.favorite ? true : null,
    minRating: answer.minRating,
    text: words.join(' '),
    parts,
    source: 'model',
  };
}

/** The local reading, or the model's when the setting is on and the local one explained nothing. */
export async function readByModel(
  lib: Library,
  query: string,
  local: Understood,
  vocabulary: Vocabulary,
  context: { today: LocalDate; timeZone: string },
): Promise<{ understood: Understood; notice: string | null }> {
  if (lib.settings.searchModel !== 'on' || !unexplained(local)) return { understood: local, notice: null };
  const client = createTextChatClient({ ...lib.ml.settings.caption, timeoutMs: SEARCH_MODEL_TIMEOUT_MS, maxAttempts: 1 });
  if (!client) return { understood: local, notice: null };
  try {
    const reply = await client.complete(
      [
        {
          role: 'system',
          content:
            `You read the search queries of a photo library. Today is ${iso(context.today)} (${context.timeZone}). Reply with JSON only: ` +
            '{"people": names of people as written, "places": places (city, region or country) as written, "from" and "to": the ' +
            'range of dates meant as YYYY-MM-DD or null, "type": "video" when only videos are wanted, "photo" when only photos, ' +
            'else null, "favorite": true when favourites are asked for, else null, "minRating": the least star rating asked ' +
            'for (1-5) or null, "text": the words of the query that describe what is in the pictures, without the people, ' +
            'places and dates}.',
        },
        { role: 'user', content: query.slice(0, 500) },
      ],
      { jsonSchema: JSON_SCHEMA, signal: AbortSignal.timeout(SEARCH_MODEL_TIMEOUT_MS) },
    );
    const parsed = reading.safeParse(JSON.parse(reply.content.replace(/^```(?:json)?\s*|\s*```$/g, '')));
    if (!parsed.success)
      return { understood: local, notice: 'the language model answered something other than the structure asked for: the query was read locally' };
    return { understood: fromModel(query, parsed.data, vocabulary, local), notice: null };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { understood: local, notice: `the language model could not read the query (${why.slice(0, 200)}): it was read locally` };
  }
}
