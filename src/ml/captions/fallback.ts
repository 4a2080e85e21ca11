import type { CaptionResult, TagScore } from '../types.js';
import { LIMITS, normaliseLabel } from './schema.js';

export interface FallbackMeta {
  /** ISO date-time (a zone-less wall-clock time is read as written) or a Date (read in UTC). */
  takenAt?: string | Date | null;
  /** A place name, e.g. `Lisbon, Portugal`. */
  place?: string | null;
  /** e.g. `Canon EOS R5`. */
  camera?: string | null;
  /** What the item is called without tags: "Photo" (default) or "Video". */
  noun?: 'Photo' | 'Video';
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * A caption from the classifier tags alone, for when no caption model is configured or it failed:
 * "Dog, grass and frisbee", "Dog and beach in Lisbon"; without tags, "Photo taken on 2 June 2021 with
 * Canon EOS R5" or "Untitled photo". Pure.
 */
export function fallbackCaption(tags: readonly TagScore[], meta: FallbackMeta = {}): CaptionResult {
  const names = rankedNames(tags);
  const place = oneLine(meta.place);
  let caption: string;
  if (names.length > 0) {
    caption = capitalise(listOf(names.slice(0, 3))) + (place ? ` in ${place}` : '');
  } else {
    const date = formatDate(meta.takenAt);
    const camera = oneLine(meta.camera);
    const parts = [place && `in ${place}`, date && `on ${date}`, camera && `with ${camera}`].filter(Boolean);
    const noun = meta.noun ?? 'Photo';
    caption = parts.length > 0 ? `${noun} taken ${parts.join(' ')}` : `Untitled ${noun.toLowerCase()}`;
  }
  return {
    caption,
    description: null,
    primaryCategory: null,
    tags: names.slice(0, LIMITS.maxTags),
    // Tags are whole-image classifications, not detections: nothing to report here.
    detectedObjects: [],
    sceneType: null,
    suggestedClusterName: null,
    qualityGrade: null,
    qualityReason: null,
    source: 'fallback',
    model: 'tags',
  };
}

/** Distinct normalised tag names, most confident first. */
function rankedNames(tags: readonly TagScore[]): string[] {
  const sorted = tags
    .filter((t) => typeof t.name === 'string' && Number.isFinite(t.confidence) && t.confidence > 0)
    .map((t, i) => ({ name: normaliseLabel(t.name, LIMITS.tag), confidence: t.confidence, i }))
    .filter((t) => t.name.length > 0)
    .sort((a, b) => b.confidence - a.confidence || a.i - b.i);
  return [...new Set(sorted.map((t) => t.name))];
}

/** "a", "a and b", "a, b and c". */
function listOf(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function oneLine(s: string | null | undefined): string {
  return (s ?? '').replace(/\s+/g, ' ').trim();
}

/** "2 June 2021". Strings are read from their date digits so a wall-clock time is not shifted by a zone. */
function formatDate(value: string | Date | null | undefined): string {
  let y: number, m: number, d: number;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return '';
    [y, m, d] = [value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate()];
  } else {
    const match = /^\s*(\d{4})[-:](\d{2})[-:](\d{2})/.exec(value ?? '');
    if (!match) return '';
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  const month = MONTHS[m - 1];
  return month && d >= 1 && d <= 31 ? `${d} ${month} ${y}` : '';
}
