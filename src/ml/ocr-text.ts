// From Tesseract's page to an OcrResult: the words kept (noise left out by measured confidence thresholds), with
// their boxes in the photo's upright pixels. Pure.
import type Tesseract from 'tesseract.js';
import type { OcrResult, OcrWord } from './types.js';

/**
 * Thresholds measured on the corpus: photos without text yield 2–3 letter fragments at 50–85 % ("Pad", "of",
 * "pr") and 4–5 letter pseudo-words at < 50 % ("Soom", "Whee"); real words come out at ≥ 60 %, short ones
 * ("IPA", "BBH", "in") at ≥ 85 %. The LSTM sometimes gives a whole line 0 % while reading it right
 * ("Mother-in-Lager"), hence the rescue of long word-shaped tokens.
 */
const SHORT_WORD_MIN_CONFIDENCE = 85;
const WORD_MIN_CONFIDENCE = 60;
const RESCUE_MIN_LENGTH = 5;

/** Punctuation at either end of a word ("clown," "(IPA)"): trimmed by every engine. */
export const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

/** The word as kept (edge punctuation trimmed), or null when it looks like noise. */
export function cleanOcrWord(text: string, confidence: number): string | null {
  const word = text.replace(EDGE_PUNCTUATION, '');
  const alnum = word.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
  if (alnum < 2 || alnum / word.length < 0.6) return null;
  if (alnum <= 3) return confidence >= SHORT_WORD_MIN_CONFIDENCE ? word : null;
  if (confidence >= WORD_MIN_CONFIDENCE) return word;
  if (alnum < RESCUE_MIN_LENGTH) return null;
  const letters = word.match(/\p{L}/gu)?.length ?? 0;
  if (letters < alnum * 0.8) return null;
  // Latin pseudo-words without a vowel ("Thrn", "JRLN") are noise; other scripts are not judged here.
  const latinOnly = /^[\p{Script=Latin}\p{N}'’&.-]+$/u.test(word);
  return !latinOnly || /[aeiouy]/i.test(word.normalize('NFD')) ? word : null;
}

export interface RawWord {
  text: string;
  confidence: number;
  bbox: { x0: number; y0: number; x1: number; y1: number };
}

/** Kept words with boxes in upright original pixels, text line by line, mean confidence of kept words. */
export function buildOcrResult(lines: RawWord[][], languages: string[], scaleX = 1, scaleY = 1): OcrResult {
  const words: OcrWord[] = [];
  const textLines: string[] = [];
  for (const line of lines) {
    const kept: string[] = [];
    for (const w of line) {
      const text = cleanOcrWord(w.text, w.confidence);
      if (text === null) continue;
      kept.push(text);
      words.push({
        text,
        confidence: Math.round(w.confidence * 10) / 10,
        box: {
          x: Math.round(w.bbox.x0 * scaleX),
          y: Math.round(w.bbox.y0 * scaleY),
          width: Math.round((w.bbox.x1 - w.bbox.x0) * scaleX),
          height: Math.round((w.bbox.y1 - w.bbox.y0) * scaleY),
        },
      });
    }
    if (kept.length) textLines.push(kept.join(' ').replace(/\s+/g, ' '));
  }
  const confidence = words.length ? words.reduce((sum, w) => sum + w.confidence, 0) / words.length : 0;
  return { text: textLines.join('\n'), confidence: Math.round(confidence * 10) / 10, words, languages };
}

/** The words of a page, line by line. */
export function pageLines(page: Tesseract.Page): RawWord[][] {
  const lines: RawWord[][] = [];
  for (const block of page.blocks ?? []) {
    for (const paragraph of block.paragraphs) for (const line of paragraph.lines) lines.push(line.words);
  }
  return lines;
}

/** The same result with its word boxes scaled (from the pixels of the image read to the photo's). */
export function scaleOcrResult(result: OcrResult, scaleX: number, scaleY: number): OcrResult {
  if (scaleX === 1 && scaleY === 1) return result;
  return {
    ...result,
    words: result.words.map((word) => ({
      ...word,
      box: {
        x: Math.round(word.box.x * scaleX),
        y: Math.round(word.box.y * scaleY),
        width: Math.round(word.box.width * scaleX),
        height: Math.round(word.box.height * scaleY),
      },
    })),
  };
}
