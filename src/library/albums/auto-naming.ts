// Automatic albums, step two: a name, a description and tags for a cluster of photos. Two ways:
// - fallbackAlbumName: pure, from the members' tags, dates and places ("Plants · May 2024 · Utah");
// - nameAlbumWithProvider: the configured caption endpoint reads captions of the representative photos and
//   answers JSON, which is validated and, when unusable, asked for again with the problem quoted back.
// The caller chooses: the provider when one is configured and the photos have captions, else the fallback.
import { z } from 'zod';
import { DEFAULT_MAX_ATTEMPTS, type ChatClient, type ChatMessage, type ChatReply } from '../../ml/captions/chat.js';
import { extractJsonObject } from '../../ml/captions/parse.js';
import { JSON_SYSTEM_PROMPT, repairMessages } from '../../ml/captions/prompt.js';
import { CaptionError } from '../../ml/captions/provider.js';
import { clip, normaliseLabel } from '../../ml/captions/schema.js';
import { MAX_REPRESENTATIVES } from './auto-clustering-params.js';
import { dominantPlace } from './auto-describe.js';

export interface AlbumName {
  name: string;
  description: string;
  /** Lowercase, most characteristic first. */
  tags: string[];
  primaryCategory: string | null;
}

export const ALBUM_NAME_LIMITS = {
  name: 80,
  description: 500,
  tag: 40,
  maxTags: 10,
  category: 60,
  /** Characters of one caption sent to the model. */
  caption: 300,
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Fallback: tags, dates and places

export interface FallbackNameInput {
  /** Per member photo, its tags (zero-shot and caption tags alike). */
  tags: readonly (readonly string[])[];
  start: Date | null;
  end: Date | null;
  /** Per member photo, its place name or null. */
  places: readonly (string | null)[];
  /** Photos in the whole library carrying each tag (normalised, lowercase); with libraryPhotoCount, rare tags score up. */
  libraryTagFrequency?: ReadonlyMap<string, number>;
  libraryPhotoCount?: number;
  /** Tag → category label (the library's category mapping); gives primaryCategory. */
  tagCategories?: ReadonlyMap<string, string>;
}

/**
 * A tag (or category) must be on at least this share of the album's photos to describe it: a rare tag that
 * happens to be on one photo says little about the album, however rare it is in the library.
 */
export const MIN_TAG_SHARE = 0.25;

/**
 * "Plants · May 2024 · Utah": the most characteristic tag, title-cased, the date span and the dominant place,
 * each left out when missing ("Photos" when all are). The description says how many photos, of what, when, where.
 */
export function fallbackAlbumName(input: FallbackNameInput): AlbumName {
  const tags = characteristicTags(input.tags, input);
  const span = formatDateSpan(input.start, input.end);
  const place = dominantPlace(input.places);
  const subject = tags[0] === undefined ? null : titleCase(tags[0]);
  const name = [subject, span, place].filter((part) => part !== null).join(' · ') || 'Photos';
  return {
    name: clip(name, ALBUM_NAME_LIMITS.name),
    description: clip(describeAlbum(input.tags.length, tags, span, place), ALBUM_NAME_LIMITS.description),
    tags,
    primaryCategory: primaryCategoryOf(input.tags, input.tagCategories),
  };
}

function describeAlbum(count: number, tags: readonly string[], span: string | null, place: string | null): string {
  let text = `${count} ${count === 1 ? 'photo' : 'photos'}`;
  if (tags.length > 0) text += ` of ${listInWords(tags.slice(0, 3))}`;
  if (span !== null) text += ` from ${span}`;
  if (place !== null) text += ` in ${place}`;
  return `${text}.`;
}

function listInWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * Tags ranked by a TF-IDF-like score: (share of the album's photos carrying the tag) × ln((N + 1) / (df + 1)) over
 * the library's N photos, df of which carry it. "outdoor" on every photo of the album but on most of the library
 * loses to "plant" on most of the album and little of the library; a tag on every photo of the library scores 0
 * (no "+ 1" on the idf, as some TF-IDF variants add: such a tag tells this album from no other). A tag missing from
 * the counts is taken to be on the album's photos only. Without library counts the idf factor is 1 and the plain
 * share ranks. Ties: more photos, then alphabetical. Only tags on at least MIN_TAG_SHARE of the photos are listed.
 */
export function characteristicTags(
  perPhoto: readonly (readonly string[])[],
  library: Pick<FallbackNameInput, 'libraryTagFrequency' | 'libraryPhotoCount'> = {},
  limit: number = ALBUM_NAME_LIMITS.maxTags,
): string[] {
  const counts = photosPerLabel(perPhoto.map((tags) => tags.map(normaliseTag)));
  const m = perPhoto.length;
  const { libraryTagFrequency: df, libraryPhotoCount } = library;
  const idf = (tag: string, count: number): number => {
    if (df === undefined || libraryPhotoCount === undefined) return 1;
    // The album's own photos are part of the library, whatever the counts passed in say.
    const n = Math.max(libraryPhotoCount, m);
    return Math.log((n + 1) / (Math.max(df.get(tag) ?? 0, count) + 1));
  };
  return [...counts]
    .filter(([, count]) => count >= m * MIN_TAG_SHARE)
    .map(([tag, count]) => ({ tag, count, score: (count / m) * idf(tag, count) }))
    .sort((a, b) => b.score - a.score || b.count - a.count || compareText(a.tag, b.tag))
    .slice(0, limit)
    .map((r) => r.tag);
}

/** The category most photos fall in through their tags (each photo counted once per category); ties by name. */
function primaryCategoryOf(perPhoto: readonly (readonly string[])[], tagCategories: ReadonlyMap<string, string> | undefined): string | null {
  if (tagCategories === undefined) return null;
  const perPhotoCategories = perPhoto.map((tags) => tags.map((tag) => tagCategories.get(normaliseTag(tag)) ?? '').filter((category) => category !== ''));
  let best: [string, number] | null = null;
  for (const entry of photosPerLabel(perPhotoCategories)) {
    if (best === null || entry[1] > best[1] || (entry[1] === best[1] && compareText(entry[0], best[0]) < 0)) best = entry;
  }
  return best !== null && best[1] >= perPhoto.length * MIN_TAG_SHARE ? best[0] : null;
}

/** Label → number of photos carrying it (a label twice on one photo counts once); empty labels ignored. */
function photosPerLabel(perPhoto: readonly (readonly string[])[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const labels of perPhoto) {
    for (const label of new Set(labels)) if (label !== '') counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return counts;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** Spans up to this long that cross a new year keep their months ("Dec 2023 – Jan 2024"): a trip, not two years. */
const SHORT_SPAN_DAYS = 92;

/**
 * "May 2024", "May – Jun 2024", "Dec 2023 – Jan 2024" (short spans across a new year), "2023 – 2024"; null when
 * neither date is known. Months are read in UTC because a date taken without a known offset is stored as its wall
 * clock in UTC (see db/schema.ts), so that is the photo's own month; English names keep it the same everywhere.
 */
export function formatDateSpan(start: Date | null, end: Date | null): string | null {
  const times = [start, end].map((d) => d?.getTime() ?? NaN).filter(Number.isFinite);
  if (times.length === 0) return null;
  const from = new Date(Math.min(...times));
  const to = new Date(Math.max(...times));
  const month = (d: Date) => MONTHS[d.getUTCMonth()]!;
  const [y1, y2] = [from.getUTCFullYear(), to.getUTCFullYear()];
  if (y1 === y2) {
    return from.getUTCMonth() === to.getUTCMonth() ? `${month(from)} ${y1}` : `${month(from)} – ${month(to)} ${y1}`;
  }
  if (to.getTime() - from.getTime() <= SHORT_SPAN_DAYS * 86_400_000) return `${month(from)} ${y1} – ${month(to)} ${y2}`;
  return `${y1} – ${y2}`;
}

const SMALL_WORDS = new Set(['a', 'an', 'and', 'at', 'by', 'for', 'in', 'of', 'on', 'or', 'the', 'to', 'with']);

/** "hot air balloon" → "Hot Air Balloon", "bird of prey" → "Bird of Prey". */
export function titleCase(text: string): string {
  return text
    .split(' ')
    .map((word, i) => (i > 0 && SMALL_WORDS.has(word) ? word : word.charAt(0).toUpperCase() + word.slice(1)))
    .join(' ');
}

/** As the categories mapping stores tags: trimmed, lowercase, single-spaced. */
function normaliseTag(tag: string): string {
  return tag.trim().toLowerCase().replace(/\s+/g, ' ');
}

// ---------------------------------------------------------------------------------------------------------------
// Provider: a chat model names the album from captions

/** What nameAlbumWithProvider needs of a ChatClient; endpoint and model only make errors clearer. */
export type AlbumNamingClient = Pick<ChatClient, 'complete'> & Partial<Pick<ChatClient, 'endpoint' | 'model'>>;

/** Facts from metadata that help a model choose between readings of the captions. */
export interface AlbumHints {
  photoCount?: number;
  /** As formatDateSpan writes it. */
  dateSpan?: string | null;
  place?: string | null;
  /** Characteristic tags, e.g. from characteristicTags. */
  tags?: readonly string[];
}

export interface NameWithProviderOptions {
  /** Replies asked for in all, the first included (transport retries are the client's and counted apart). Default 3. */
  maxAttempts?: number;
  signal?: AbortSignal;
}

/** Sent as `response_format`: strict mode wants every property required and no length bounds (see schema.ts). */
export const ALBUM_NAME_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['cluster_name', 'description', 'tags', 'primary_category'],
  properties: {
    cluster_name: { type: 'string' },
    description: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' } },
    primary_category: { type: 'string' },
  },
} as const;

const FIELDS = `{
  "cluster_name": a short album title, 2 to 5 words and at most ${ALBUM_NAME_LIMITS.name} characters, naming what the photos have in common, such as "Desert plants" or "Birthday party"; add the date or place only when it is what sets the album apart,
  "description": one or two sentences, at most ${ALBUM_NAME_LIMITS.description} characters, saying what the album holds,
  "tags": an array of at most ${ALBUM_NAME_LIMITS.maxTags} lowercase keywords (nouns or short phrases, at most ${ALBUM_NAME_LIMITS.tag} characters each) for the album, most relevant first,
  "primary_category": one lowercase word or short phrase for the main subject, such as "people", "pets", "food", "landscape", "architecture", "document", "event" or "object", or null when none fits
}`;

/** The request: numbered captions of up to MAX_REPRESENTATIVES photos, the facts, the fields in words. */
export function albumNamingMessages(captions: readonly string[], hints: AlbumHints = {}): ChatMessage[] {
  const lines = [
    'These are captions of representative photos from one album of a personal photo library:',
    ...usableCaptions(captions).map((caption, i) => `${i + 1}. ${caption}`),
    ...hintLines(hints),
    'Name the album. Reply with only a JSON object with exactly these fields:',
    FIELDS,
  ];
  return [
    { role: 'system', content: JSON_SYSTEM_PROMPT },
    { role: 'user', content: lines.join('\n') },
  ];
}

/** Captions come from models and users: one line each, no control characters, bounded, at most five. */
function usableCaptions(captions: readonly string[]): string[] {
  return captions
    .map((c) => clip(oneLine(c), ALBUM_NAME_LIMITS.caption))
    .filter((c) => c !== '')
    .slice(0, MAX_REPRESENTATIVES);
}

function hintLines(hints: AlbumHints): string[] {
  const facts: string[] = [];
  if (hints.photoCount !== undefined) facts.push(`${hints.photoCount} ${hints.photoCount === 1 ? 'photo' : 'photos'}`);
  if (hints.dateSpan) facts.push(`taken ${oneLine(hints.dateSpan)}`);
  if (hints.place) facts.push(`mostly in ${oneLine(hints.place)}`);
  const tags = (hints.tags ?? [])
    .map(oneLine)
    .filter((t) => t !== '')
    .slice(0, ALBUM_NAME_LIMITS.maxTags);
  if (tags.length > 0) facts.push(`frequent tags: ${tags.join(', ')}`);
  return facts.length > 0 ? [`Facts from the photos' metadata: ${facts.join('; ')}.`] : [];
}

function oneLine(s: string): string {
  return s
    .replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Asks the model to name the album and validates the answer; an unusable reply is answered with the reply and what
 * was wrong with it, up to maxAttempts replies in all. Throws CaptionError 'invalid-output' when none passes
 * (transport failures throw the client's own CaptionError), and RangeError when no caption has any text.
 */
export async function nameAlbumWithProvider(
  client: AlbumNamingClient,
  captions: readonly string[],
  hints: AlbumHints = {},
  options: NameWithProviderOptions = {},
): Promise<AlbumName> {
  if (usableCaptions(captions).length === 0) throw new RangeError('no captions to name the album from');
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be an integer ≥ 1, got ${maxAttempts}`);
  const messages = albumNamingMessages(captions, hints);
  let conversation = messages;
  let lastError = '';
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const reply = await client.complete(conversation, {
      jsonSchema: { name: 'album_name', schema: ALBUM_NAME_JSON_SCHEMA },
      signal: options.signal,
    });
    const result = interpretAlbumReply(reply);
    if (result.ok) return result.name;
    lastError = result.error;
    // Only the latest bad reply is quoted back: the conversation stays the size of one exchange.
    conversation = [...messages, ...repairMessages(reply.content, result.error)];
  }
  const where = client.endpoint ? `endpoint ${client.endpoint}${client.model ? ` (model ${client.model})` : ''}` : 'the caption endpoint';
  throw new CaptionError('invalid-output', `Album naming: ${where} gave no usable JSON in ${maxAttempts} attempt(s): ${lastError}`, true);
}

export type AlbumNameResult = { ok: true; name: AlbumName } | { ok: false; error: string };

/** The JSON object out of a reply (prose, fences and reasoning blocks are tolerated), validated. */
export function interpretAlbumReply(reply: ChatReply): AlbumNameResult {
  if (!reply.content.trim()) return { ok: false, error: 'the reply was empty' };
  const extracted = extractJsonObject(reply.content);
  const result = extracted.ok ? validateAlbumName(extracted.value) : extracted;
  if (!result.ok && reply.finishReason === 'length') {
    return { ok: false, error: `${result.error} (the reply was cut off: keep it shorter)` };
  }
  return result;
}

// Drift that cannot be wrong (case, spacing, a leading '#', duplicate tags) is normalised; broken limits are
// errors, written for the model to act on in its next reply.
const required = { error: (issue: { input: unknown }) => (issue.input === undefined ? 'is missing' : 'must be a string') };

function bounded(max: number, allowEmpty: boolean) {
  return z.string(required).transform((s, ctx) => {
    const text = oneLine(s);
    if (!allowEmpty && text === '') ctx.addIssue({ code: 'custom', message: 'must not be empty' });
    if (text.length > max) ctx.addIssue({ code: 'custom', message: `must be at most ${max} characters (it has ${text.length})` });
    return text;
  });
}

const tagList = z
  .array(z.string('each tag must be a string'), { error: (issue) => (issue.input === undefined ? 'is missing' : 'must be an array of strings') })
  .transform((list, ctx) => {
    const tags = [...new Set(list.map((t) => normaliseLabel(t, Number.POSITIVE_INFINITY)).filter((t) => t !== ''))];
    const long = tags.find((t) => t.length > ALBUM_NAME_LIMITS.tag);
    if (long !== undefined) ctx.addIssue({ code: 'custom', message: `"${clip(long, 60)}" is longer than ${ALBUM_NAME_LIMITS.tag} characters` });
    if (tags.length > ALBUM_NAME_LIMITS.maxTags) {
      ctx.addIssue({ code: 'custom', message: `must list at most ${ALBUM_NAME_LIMITS.maxTags} tags (it has ${tags.length})` });
    }
    return tags;
  });

const category = z
  .string('must be a string or null')
  .nullish()
  .transform((s, ctx) => {
    const label = s == null ? '' : normaliseLabel(s, Number.POSITIVE_INFINITY);
    if (label.length > ALBUM_NAME_LIMITS.category) {
      ctx.addIssue({ code: 'custom', message: `must be at most ${ALBUM_NAME_LIMITS.category} characters (it has ${label.length})` });
    }
    // "" and "null" are how strict-schema servers (string only) say null.
    return label === '' || label === 'null' ? null : label;
  });

const albumNameSchema = z.object({
  cluster_name: bounded(ALBUM_NAME_LIMITS.name, false),
  description: bounded(ALBUM_NAME_LIMITS.description, true),
  tags: tagList,
  primary_category: category,
});

/** Validates and normalises a parsed reply. */
export function validateAlbumName(value: Record<string, unknown>): AlbumNameResult {
  const parsed = albumNameSchema.safeParse(value);
  if (parsed.success) {
    const f = parsed.data;
    return { ok: true, name: { name: f.cluster_name, description: f.description, tags: f.tags, primaryCategory: f.primary_category } };
  }
  const issues = parsed.error.issues.slice(0, 8).map((i) => `${i.path.length > 0 ? i.path.join('.') : 'reply'}: ${i.message}`);
  return { ok: false, error: issues.join('; ') };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
