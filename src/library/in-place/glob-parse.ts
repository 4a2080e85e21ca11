// One exclusion pattern (braces expanded) parsed into the pieces ./glob.ts builds its automaton from.
//
// Syntax (picomatch's, as the patterns users wrote before, with `dot: true`):
//   `*` any characters but `/` (dots too);  `?` one character but `/`;  `[abc]`, `[a-z]`, `[!a]`/`[^a]`, `[[:digit:]]`;
//   `**` as a whole segment: any number of folders (`**/@eaDir` is `@eaDir` at any depth, `a/**` is `a` and all
//   under it); elsewhere (`a**b`) it is `*`;  `{a,b}` alternatives (nested too);  `\x` the character x itself.
// Not supported, refused where a pattern is saved: a leading `!` (negation) and `(a|b)` groups or extglobs.

import { classEnd } from './glob-braces.js';

export const SLASH = 0x2f;
export const notSlash = (code: number) => code !== SLASH;

/** A pattern's pieces, in order: what `/`-separated segments and globstars turn into. */
export type Piece =
  | { kind: 'char'; code: number }
  | { kind: 'test'; test: (code: number) => boolean }
  /** `*`: any run of characters but `/` */
  | { kind: 'star' }
  /** `**` alone: anything */
  | { kind: 'all' }
  /** `**​/` before more: no folder, or any folders (`(.*​/)?`) */
  | { kind: 'folders' }
  /** `/**` at the end: the folder itself, or anything under it (`(/.*)?`) */
  | { kind: 'under' };

const POSIX: Record<string, (code: number) => boolean> = {
  alpha: (c) => /\p{L}/u.test(String.fromCodePoint(c)),
  digit: (c) => c >= 0x30 && c <= 0x39,
  alnum: (c) => POSIX.alpha!(c) || POSIX.digit!(c),
  upper: (c) => /\p{Lu}/u.test(String.fromCodePoint(c)),
  lower: (c) => /\p{Ll}/u.test(String.fromCodePoint(c)),
  space: (c) => /\s/u.test(String.fromCodePoint(c)),
  blank: (c) => c === 0x20 || c === 0x09,
  punct: (c) => /[\p{P}\p{S}]/u.test(String.fromCodePoint(c)),
  xdigit: (c) => /[0-9a-fA-F]/.test(String.fromCodePoint(c)),
  word: (c) => POSIX.alnum!(c) || c === 0x5f,
  cntrl: (c) => c < 0x20 || c === 0x7f,
};

/** A `[...]` class between `start` (its `[`) and `end` (its `]`) as a test; it never takes `/`. */
function classTest(pattern: string, start: number, end: number): (code: number) => boolean {
  let i = start + 1;
  const negate = pattern[i] === '!' || pattern[i] === '^';
  if (negate) i++;
  const ranges: [number, number][] = [];
  const tests: ((code: number) => boolean)[] = [];
  while (i < end) {
    if (pattern[i] === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2);
      const test = close !== -1 && close < end ? POSIX[pattern.slice(i + 2, close)] : undefined;
      if (test) {
        tests.push(test);
        i = close + 2;
        continue;
      }
    }
    let code = pattern.codePointAt(pattern[i] === '\\' ? ++i : i)!;
    i += code > 0xffff ? 2 : 1;
    let to = code;
    if (pattern[i] === '-' && i + 1 < end) {
      i++;
      to = pattern.codePointAt(pattern[i] === '\\' ? ++i : i)!;
      i += to > 0xffff ? 2 : 1;
      if (to < code) [code, to] = [to, code];
    }
    ranges.push([code, to]);
  }
  const member = (code: number) => ranges.some(([from, to]) => code >= from && code <= to) || tests.some((test) => test(code));
  return negate ? (code) => code !== SLASH && !member(code) : (code) => code !== SLASH && member(code);
}

/** The pieces of one segment (no `/` in it), and how many wildcards it holds. */
function segmentPieces(segment: string, pieces: Piece[]): number {
  let wildcards = 0;
  for (let i = 0; i < segment.length;) {
    const c = segment[i]!;
    if (c === '*') {
      while (segment[i] === '*') i++; // `**` inside a segment is `*`
      pieces.push({ kind: 'star' });
      wildcards++;
    } else if (c === '?') {
      pieces.push({ kind: 'test', test: notSlash });
      wildcards++;
      i++;
    } else if (c === '[' && classEnd(segment, i) !== -1) {
      const end = classEnd(segment, i);
      pieces.push({ kind: 'test', test: classTest(segment, i, end) });
      wildcards++;
      i = end + 1;
    } else {
      const literal = c === '\\' && i + 1 < segment.length ? i + 1 : i;
      const code = segment.codePointAt(literal)!;
      pieces.push({ kind: 'char', code });
      i = literal + (code > 0xffff ? 2 : 1);
    }
  }
  return wildcards;
}

/** Splits on `/` that is not escaped. */
function segmentsOf(pattern: string): string[] {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      current += c + pattern[++i];
    } else if (c === '/') {
      segments.push(current);
      current = '';
    } else current += c;
  }
  segments.push(current);
  return segments;
}

const isGlobstar = (segment: string) => segment.length >= 2 && /^\*+$/.test(segment);

export function piecesOf(pattern: string): { pieces: Piece[]; wildcards: number } {
  let clean = pattern;
  while (clean.startsWith('./')) clean = clean.slice(2);
  // `**/**` is `**`
  const segments = segmentsOf(clean).filter((segment, i, all) => !(isGlobstar(segment) && i > 0 && isGlobstar(all[i - 1]!)));
  const pieces: Piece[] = [];
  let wildcards = 0;
  const last = segments.length - 1;
  segments.forEach((segment, i) => {
    const afterFolders = i > 0 && isGlobstar(segments[i - 1]!); // `**/` took the `/` before this one
    if (isGlobstar(segment)) {
      wildcards++;
      if (last === 0) pieces.push({ kind: 'all' });
      // as picomatch: after a segment ending in `*` (`*/**`, `2020*/**`) only what is under it, not the folder itself
      else if (i === last && pieces.at(-1)?.kind === 'star') pieces.push({ kind: 'char', code: SLASH }, { kind: 'all' });
      else if (i === last) pieces.push({ kind: 'under' });
      else {
        if (i > 0) pieces.push({ kind: 'char', code: SLASH });
        pieces.push({ kind: 'folders' });
      }
      return;
    }
    if (i > 0 && !afterFolders) pieces.push({ kind: 'char', code: SLASH });
    wildcards += segmentPieces(segment, pieces);
  });
  return { pieces, wildcards };
}
