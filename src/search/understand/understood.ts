// What a query was understood as (parse.ts reads it): people, places, dates, type, camera, ratings, albums, the
// words left to search, and the parts the web app shows as chips; and what the filters take from it.
import { instants, type LocalDate } from './calendar.js';
import type { Yearly } from './dates.js';

export type PartKind = 'person' | 'place' | 'date' | 'type' | 'camera' | 'favorite' | 'rating' | 'best' | 'album' | 'text' | 'exclusion';

/** One thing understood, where it was written: the chips the web app shows, each removable. */
export interface UnderstoodPart {
  kind: PartKind;
  label: string;
  negated: boolean;
  start: number;
  end: number;
}

export interface Understood {
  people: { id: string; name: string; negated: boolean }[];
  /** `any` when the names were joined by OR ("Marie or Pierre"); `all` (together) otherwise. */
  peopleMatch: 'all' | 'any';
  places: { name: string; negated: boolean }[];
  /** "at home", "à la maison", "zu Hause": near home (or away from it), when the user's home is known. */
  home: { negated: boolean } | null;
  /** Ranges of local days (ISO dates, inclusive); several: any of them. */
  dates: { from: string; to: string; label: string; negated: boolean }[];
  /** Days that recur each year (month-day, inclusive): "summer", "christmas", "march". */
  yearly: Yearly[];
  type: 'photo' | 'video' | null;
  kind: 'screenshot' | 'selfie' | null;
  camera: string | null;
  favorite: boolean | null;
  minRating: number | null;
  best: boolean;
  album: { id: string; name: string; negated: boolean } | null;
  /** In some album (true), in none (false). */
  inAlbum: boolean | null;
  quoted: string[];
  excludedWords: string[];
  /** What is searched as words and meaning (in the search box's syntax); empty: the filters alone list the items. */
  text: string;
  /** Names that matched more than one person, or a word one letter from a name. */
  didYouMean: { text: string; start: number; end: number; options: { id: string; name: string }[] }[];
  parts: UnderstoodPart[];
  /** Who read it: this parser, or the configured language model (SHOEBOX_SEARCH_MODEL=on). */
  source: 'local' | 'model';
}

export interface UnderstandContext {
  today: LocalDate;
  timeZone: string;
  /** Seasons turn round: the places asked about are south of the equator. */
  southern?: boolean;
  /** The user's home is known (set, or learned from their photos): "home" is a place then, else a word. */
  home?: boolean;
}

/** A query of which nothing was understood (yet). */
export function nothingUnderstood(): Understood {
  return {
    people: [],
    peopleMatch: 'all',
    places: [],
    home: null,
    dates: [],
    yearly: [],
    type: null,
    kind: null,
    camera: null,
    favorite: null,
    minRating: null,
    best: false,
    album: null,
    inAlbum: null,
    quoted: [],
    excludedWords: [],
    text: '',
    didYouMean: [],
    parts: [],
    source: 'local',
  };
}

/** Whether a season was read: its months turn round south of the equator, so the places asked about matter. */
export function readSeason(understood: Understood): boolean {
  return understood.parts.some((p) => p.kind === 'date' && /^(Spring|Summer|Autumn|Winter)\b/.test(p.label));
}

/** The instants of the understood date ranges in the user's zone (for the filters). */
export function dateInstants(understood: Understood, timeZone: string): { from: Date; to: Date; negated: boolean }[] {
  // kept within years an ISO instant and the database write with four digits
  const clamp = (text: string) => {
    const [year, month, day] = text.split('-').map(Number) as [number, number, number];
    if (year < 1826) return { year: 1826, month: 1, day: 1 };
    if (year > 2999) return { year: 2999, month: 12, day: 31 };
    return { year, month, day };
  };
  return understood.dates.map((d) => ({ ...instants({ from: clamp(d.from), to: clamp(d.to) }, timeZone), negated: d.negated }));
}
