import type { PhotoState } from '../model/photo-state.js';
import type { BoundingBox, NearPoint } from '../model/geo.js';
import type { SearchField, SearchMode } from '../model/search-vocabulary.js';

/** Filters narrow both arms before ranking, never after. */
export interface SearchFilters {
  /** Category names; a photo in any of them passes. */
  categories?: string[];
  /** Tags (CLIP, caption or the photographer's keywords); a photo must have all of them. */
  tags?: string[];
  /** Person ids; `peopleMatch` says whether a photo needs all of them (default) or any. */
  people?: string[];
  peopleMatch?: 'all' | 'any';
  from?: Date;
  to?: Date;
  /** Part of "make model", case-insensitive. */
  camera?: string;
  /** City, state or country, case- and accent-insensitive, whole name. */
  place?: string;
  hasLocation?: boolean;
  /** Within a great-circle distance of a point; inside a bounding box (search/geo.ts). */
  near?: NearPoint;
  bbox?: BoundingBox;
  /** Taken with a known position farther than the radius from the point ("not at home"). */
  notNear?: NearPoint;
  minRating?: number;
  favorite?: boolean;
  state?: PhotoState;
  /** Album id: photos in that album. */
  album?: string;
  /** Leave out what the automatic choice proposes for the trash (the suggested keeper shows, with a RAW or another version kept beside it); photos in no group all show. */
  hideDuplicates?: boolean;
  /** `generated` (image generation) or `camera` (everything else). */
  origin?: 'camera' | 'generated';
  /** Videos only, or photos only. */
  type?: 'photo' | 'video';
  /** Understood from a query (search/understand): people not in the photo. */
  excludePeople?: string[];
  /** Any of these places (a city, state or country named exactly as the photos have it); none of `excludePlaces`. */
  places?: string[];
  excludePlaces?: string[];
  /** Taken within any of these ranges; within none of `excludeDates`. */
  dateRanges?: { from: Date; to: Date }[];
  excludeDates?: { from: Date; to: Date }[];
  /** Taken on days that recur each year (month-day, inclusive, wrapping the new year), in `timeZone`. */
  yearly?: { days: { from: string; to: string }[]; timeZone: string };
  /** In some album (true) or in none (false). */
  inAlbum?: boolean;
  /** Not in this album. */
  excludeAlbum?: string;
  /** Screenshots or selfies: by their tag or their file's name. */
  kind?: 'screenshot' | 'selfie';
}

export interface SearchOptions {
  mode: SearchMode;
  filters: SearchFilters;
  page: number;
  limit: number;
  /**
   * Relative cutoff for semantic-only hits: one is kept when its similarity is at least `cutoff` × the best
   * similarity of the search. 0 keeps all.
   */
  cutoff: number;
  /** RRF constant. */
  rrfK: number;
}

export interface KeywordMatch {
  field: SearchField;
  words: string[];
  /** Text read on the photo: where those words are, as fractions of the photo's width and height (at most 10). */
  where?: { x: number; y: number; width: number; height: number }[];
  /** Tags that are detected objects: each as the explanation says it ("a dog, top left"), the best first (at most 10). */
  objects?: string[];
}

export interface HitExplanation {
  keyword: { rank: number; score: number; matches: KeywordMatch[]; fuzzy: boolean } | null;
  semantic: { rank: number; similarity: number } | null;
  /** Found only through a similar spelling while the words as typed found other photos (listed after them). */
  closeMatch: boolean;
  /** The parts of the query it satisfies as filters ("Marie Dupont", "Portugal", "Summer 2025"). */
  satisfies?: string[];
}

export interface RankedHit {
  photoId: string;
  score: number;
  explanation: HitExplanation;
}
