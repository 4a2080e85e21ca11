// A Google Takeout JSON sidecar (a photo's or a video's) read into what Shoebox keeps, and an album folder's
// metadata file. Google writes timestamps as strings of seconds, `0, 0` for "no place", and more fields than are
// kept here (views, URL, origin). Values out of range are dropped with the reason, never guessed; text loses its
// control characters (a NUL in an album's title could not be stored, and left its import importing for ever).
import { z } from 'zod';
import { withoutControls } from '../base/text.js';

/** What a sidecar says about its photo; absent fields were absent or unusable (see `problems`). */
export interface TakeoutSidecar {
  /** The photo's whole original name. */
  title?: string;
  /** When it was taken, UTC. */
  takenAt?: Date;
  place?: { latitude: number; longitude: number; altitude?: number };
  description?: string;
  favorited: boolean;
  archived: boolean;
  trashed: boolean;
  /** Names of the people Google tagged. */
  people: string[];
  /** Why a field present in the file was not taken. */
  problems: string[];
}

/** Sidecars are small (a few hundred bytes): a larger file is not one. */
export const MAX_SIDECAR_JSON_BYTES = 1024 * 1024;
/** A title is a file's or an album's name: a longer one is not taken. */
const MAX_TITLE_CHARS = 1024;
/** What a problem quotes of a value it refuses. */
const QUOTED_CHARS = 60;
/** Photography's first photo was taken in 1826; a date after tomorrow is a clock error. */
const EARLIEST = Date.UTC(1826, 0, 1);
const LATEST_AHEAD_MS = 24 * 60 * 60 * 1000;

const timestamp = z.object({ timestamp: z.union([z.string(), z.number()]) }).partial();
const geo = z.object({ latitude: z.number(), longitude: z.number(), altitude: z.number() }).partial();
const sidecarSchema = z
  .object({
    title: z.string(),
    description: z.string(),
    photoTakenTime: timestamp,
    creationTime: timestamp,
    geoData: geo,
    geoDataExif: geo,
    people: z.array(z.object({ name: z.string() }).partial()),
    favorited: z.boolean(),
    archived: z.boolean(),
    trashed: z.boolean(),
  })
  .partial();

export class TakeoutJsonError extends Error {
  override name = 'TakeoutJsonError';
}

function parseJson(text: string, what: string): unknown {
  if (text.length > MAX_SIDECAR_JSON_BYTES) throw new TakeoutJsonError(`${what} is larger than ${MAX_SIDECAR_JSON_BYTES} bytes`);
  try {
    return JSON.parse(text.replace(/^\uFEFF/u, ''));
  } catch (error) {
    throw new TakeoutJsonError(`${what} is not JSON (${(error as Error).message})`);
  }
}

function dateOf(value: { timestamp?: string | number } | undefined, now: number): Date | string | undefined {
  if (value?.timestamp === undefined) return undefined;
  const seconds = typeof value.timestamp === 'number' ? value.timestamp : /^-?\d{1,12}$/u.test(value.timestamp.trim()) ? Number(value.timestamp) : NaN;
  const ms = seconds * 1000;
  if (!Number.isFinite(ms)) return `timestamp ${JSON.stringify(String(value.timestamp).slice(0, QUOTED_CHARS))} is not a number of seconds`;
  if (ms < EARLIEST || ms > now + LATEST_AHEAD_MS) return `timestamp ${value.timestamp} (${new Date(ms).toISOString()}) is out of range`;
  return new Date(ms);
}

function placeOf(value: z.infer<typeof geo> | undefined): TakeoutSidecar['place'] | string | undefined {
  const { latitude, longitude, altitude } = value ?? {};
  if (latitude === undefined || longitude === undefined) return undefined;
  if (latitude === 0 && longitude === 0) return undefined; // Google's "no place"
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return `place ${latitude}, ${longitude} is out of range`;
  return { latitude, longitude, ...(altitude !== undefined && altitude !== 0 && Math.abs(altitude) < 100_000 ? { altitude } : {}) };
}

/** Reads a photo's sidecar; throws TakeoutJsonError when it is not a sidecar at all. */
export function parseTakeoutSidecar(text: string, what: string, now = Date.now()): TakeoutSidecar {
  const parsed = sidecarSchema.safeParse(parseJson(text, what));
  if (!parsed.success) throw new TakeoutJsonError(`${what} is not a Google Photos sidecar: ${parsed.error.issues[0]?.message ?? 'unexpected shape'}`);
  const data = parsed.data;
  const problems: string[] = [];
  const out: TakeoutSidecar = { favorited: data.favorited === true, archived: data.archived === true, trashed: data.trashed === true, people: [], problems };
  const title = titleOf(data.title);
  if (title) out.title = title;
  const description = withoutControls(data.description ?? '', { lines: true });
  if (description) out.description = description;
  const taken = dateOf(data.photoTakenTime, now);
  if (typeof taken === 'string') problems.push(`photoTakenTime: ${taken}`);
  else if (taken) out.takenAt = taken;
  // the sidecar's place is Google's (edited in Photos, or from the file); `geoDataExif` is the file's own
  const place = placeOf(data.geoData) ?? placeOf(data.geoDataExif);
  if (typeof place === 'string') problems.push(`geoData: ${place}`);
  else if (place) out.place = place;
  const names = (data.people ?? []).map((p) => withoutControls(p.name ?? '')).filter((name) => name.length > 0 && name.length <= 200);
  out.people = [...new Set(names)];
  return out;
}

/** A sidecar-shaped file that describes an album folder (`metadata.json`, localised names) instead of a photo. */
export interface TakeoutAlbumMeta {
  title: string;
  description?: string;
}

/**
 * What a JSON of an album folder says: its album, or why it gives none (`refused`, for the report); null for a
 * photo's sidecar (or something that is neither, which the sidecar reader then refuses with its reason).
 */
export type AlbumMetaReading = { album: TakeoutAlbumMeta } | { refused: string } | null;

const albumSchema = z.object({ title: z.string().optional(), description: z.string().optional() });
/** Google writes a photo's or video's own moments in its every sidecar. */
const PHOTO_MARKS = ['photoTakenTime', 'creationTime'];
/** Google writes who may see an album, and its date, in its every metadata file. */
const ALBUM_MARKS = ['access', 'date'];
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether a sidecar's file is named after its title (`IMG.jpg.json`, `IMG.jpg.supplemental-metad.json`,
 * `IMG.jpg(1).json`): a photo's sidecar; an album's is named `metadata.json` (or that in the account's language).
 */
function namedAfter(file: string, title: unknown): boolean {
  if (typeof title !== 'string') return false;
  const stem = file.replace(/\.json$/iu, '').replace(/\(\d{1,4}\)$/u, '');
  return stem.length > 0 && `${title}.supplemental-metadata`.startsWith(stem);
}

/**
 * The album a folder's metadata file names (`metadata.json`, or its name in the account's language), told from a
 * photo's sidecar by what each must hold, not by what it lacks: older exports give an album a place (`geoData`) or
 * wrap it in `albumData`. A photo's sidecar holds its moments; a file with neither's marks is a photo's when its
 * name is made from its title.
 */
export function parseAlbumMeta(text: string, what: string): AlbumMetaReading {
  const json = parseJson(text, what);
  if (!isObject(json)) return null;
  let fields: Record<string, unknown>;
  if (isObject(json.albumData)) fields = json.albumData;
  else if (PHOTO_MARKS.some((mark) => mark in json)) return null;
  else if (ALBUM_MARKS.some((mark) => mark in json) || !namedAfter(what, json.title)) fields = json;
  else return null;
  const parsed = albumSchema.safeParse(fields);
  const title = parsed.success ? titleOf(parsed.data.title) : undefined;
  if (!parsed.success || !title) return { refused: 'its metadata file gives the album no title' };
  const description = withoutControls(parsed.data.description ?? '', { lines: true });
  return { album: { title, ...(description ? { description } : {}) } };
}

/** A title without control characters, or undefined when nothing of one is left or it is too long to be one. */
function titleOf(text: string | undefined): string | undefined {
  const title = withoutControls(text ?? '');
  return title && title.length <= MAX_TITLE_CHARS ? title : undefined;
}
