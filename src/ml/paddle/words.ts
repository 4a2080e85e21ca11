// From recognised lines to words with boxes: a line split at its spaces, each word placed along the line by the time
// steps its characters were read at, its box in the photo's upright pixels. Pure.
import { EDGE_PUNCTUATION } from '../ocr-text.js';
import type { OcrWord } from '../types.js';
import type { DecodedLine } from './ctc.js';
import { pointInRect, type RotatedRect } from './geometry.js';

/** A recognised line and where it was read from. */
export interface ReadLine {
  decoded: DecodedLine;
  /** The rectangle sampled, in the decoded image's pixels (turned as it was read). */
  rect: RotatedRect;
  /** How it was laid out: along its width, or as a column of cells top to bottom. */
  layout: 'line' | 'column';
  /** Width of the strip the line filled, and of the tensor it was in (the steps span the tensor). */
  stripWidth: number;
  tensorWidth: number;
  /** From the rectangle's pixels to the photo's upright pixels. */
  scaleX: number;
  scaleY: number;
}

/** Lines under this confidence are noise (PaddleOCR's `drop_score`). */
export const LINE_MIN_CONFIDENCE = 0.5;
/** A word under this confidence is left out of a line that is kept. */
const WORD_MIN_CONFIDENCE = 0.5;
/**
 * Two characters are two words when the model gave a space this much probability between them (it often leaves a
 * narrow gap blank: "publishpricing", "SevgiliDost"). Measured on the corpus: true gaps 0.26–0.47, within words ≤ 0.11.
 */
const GAP_SPACE_PROBABILITY = 0.2;

const HAN_OR_KANA = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** The line's words, boxes in the photo's upright pixels, clamped to `bounds`. */
export function lineWords(line: ReadLine, bounds: { width: number; height: number }): OcrWord[] {
  const { decoded, scaleX, scaleY } = line;
  if (decoded.confidence < LINE_MIN_CONFIDENCE) return [];
  const words: OcrWord[] = [];
  const stepWidth = line.tensorWidth / decoded.steps;
  let start = 0;
  const chars = decoded.chars;
  for (let i = 0; i <= chars.length; i++) {
    const char = chars[i];
    const gap = char !== undefined && i > start && char.spaceBefore >= GAP_SPACE_PROBABILITY && !HAN_OR_KANA.test(char.char);
    if (char !== undefined && char.char !== ' ' && !gap) continue;
    const part = chars.slice(start, i);
    start = gap ? i : i + 1;
    if (part.length === 0) continue;
    const raw = part.map((c) => c.char).join('');
    const text = raw.replace(EDGE_PUNCTUATION, '');
    const meaningful = text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
    if (meaningful === 0 || (meaningful < 2 && !HAN_OR_KANA.test(text))) continue;
    const confidence = part.reduce((sum, c) => sum + c.confidence, 0) / part.length;
    if (confidence < WORD_MIN_CONFIDENCE) continue;
    // a character is read about where its step is; a word spans its first step's start to its last step's end
    const from = Math.max(0, Math.min(1, (part[0]!.step * stepWidth) / line.stripWidth));
    const to = Math.max(from, Math.min(1, ((part.at(-1)!.step + 1) * stepWidth) / line.stripWidth));
    const corners =
      line.layout === 'line'
        ? [pointInRect(line.rect, from, 0), pointInRect(line.rect, to, 0), pointInRect(line.rect, to, 1), pointInRect(line.rect, from, 1)]
        : [pointInRect(line.rect, 0, from), pointInRect(line.rect, 1, from), pointInRect(line.rect, 1, to), pointInRect(line.rect, 0, to)];
    const xs = corners.map((p) => Math.min(bounds.width, Math.max(0, p.x * scaleX)));
    const ys = corners.map((p) => Math.min(bounds.height, Math.max(0, p.y * scaleY)));
    const x = Math.floor(Math.min(...xs));
    const y = Math.floor(Math.min(...ys));
    words.push({
      text,
      confidence: Math.round(confidence * 1000) / 10,
      box: { x, y, width: Math.ceil(Math.max(...xs)) - x, height: Math.ceil(Math.max(...ys)) - y },
    });
  }
  return words;
}

/**
 * Reading order: top to bottom, and left to right within a row (boxes whose centres are within half a line's height
 * of each other are on one row).
 */
export function readingOrder<T extends { rect: RotatedRect }>(items: readonly T[]): T[] {
  const sorted = [...items].sort((a, b) => a.rect.cy - b.rect.cy || a.rect.cx - b.rect.cx);
  const rows: T[][] = [];
  for (const item of sorted) {
    const row = rows.at(-1);
    const first = row?.[0];
    const tolerance = first ? Math.min(first.rect.height, item.rect.height) / 2 : 0;
    if (row && first && Math.abs(item.rect.cy - first.rect.cy) <= tolerance) row.push(item);
    else rows.push([item]);
  }
  return rows.flatMap((row) => row.sort((a, b) => a.rect.cx - b.rect.cx));
}
