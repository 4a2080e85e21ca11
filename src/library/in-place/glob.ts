// Glob patterns of files and folders a library leaves out, matched in time linear in the path's length: each
// pattern becomes a small automaton (Thompson's construction) that is run over the path once, all of its states at
// a time, so no pattern can backtrack (a regex of `*a*a*a*a*a*a*b` took seconds per file name and froze the server).
//
// Syntax (picomatch's, as the patterns users wrote before, with `dot: true`):
//   `*` any characters but `/` (dots too);  `?` one character but `/`;  `[abc]`, `[a-z]`, `[!a]`/`[^a]`, `[[:digit:]]`;
//   `**` as a whole segment: any number of folders (`**/@eaDir` is `@eaDir` at any depth, `a/**` is `a` and all
//   under it); elsewhere (`a**b`) it is `*`;  `{a,b}` alternatives (nested too);  `\x` the character x itself.
// Not supported, refused where a pattern is saved: a leading `!` (negation) and `(a|b)` groups or extglobs.
// Paths are relative to the library's folder, `/`-separated, compared case-sensitively.

/** What a pattern, and a library's patterns together, may be: kept so that matching a path is cheap whatever they are. */
export const GLOB_LIMITS = {
  patterns: 100,
  length: 256,
  /** `*`, `**`, `?` and `[...]` in one pattern. */
  wildcards: 16,
  /** Patterns one pattern stands for once its braces are expanded (`{a,b}{c,d}`: 4). */
  alternatives: 32,
  /** Characters of all of a library's patterns, braces expanded. */
  totalLength: 2048,
} as const;

/** Looser bounds for patterns saved before the limits: beyond them a pattern is left out (matches nothing). */
const STORED_LIMITS = { length: 4096, alternatives: 256 } as const;

export class GlobTimeoutError extends Error {}

/** One character step of the automaton: a character, a test, a fork (two ways on, no character), or the end. */
type State =
  | { kind: 'char'; code: number; out: number }
  | { kind: 'test'; test: (code: number) => boolean; out: number }
  | { kind: 'split'; out: number; out1: number }
  | { kind: 'match' };

const SLASH = 0x2f;
const notSlash = (code: number) => code !== SLASH;
const anything = () => true;

/** A pattern's pieces, in order: what `/`-separated segments and globstars turn into. */
type Piece =
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

// ---------------------------------------------------------------------------------------------------------------
// braces

/** The end of a `[...]` class starting at `start` (the index of its `]`), or -1 when it is not one (a plain `[`). */
function classEnd(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === '!' || pattern[i] === '^') i++;
  if (pattern[i] === ']') i++; // a `]` first is a member
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') i += 2;
    else if (c === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2);
      i = close === -1 ? i + 1 : close + 2;
    } else if (c === ']') return i;
    else if (c === '/') return -1;
    else i++;
  }
  return -1;
}

/** The top-level `,` positions and the closing `}` of a brace group at `start`; null when it is plain text. */
function braceGroup(pattern: string, start: number): { commas: number[]; end: number } | null {
  const commas: number[] = [];
  let depth = 0;
  for (let i = start + 1; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') i++;
    else if (c === '[') {
      const end = classEnd(pattern, i);
      if (end !== -1) i = end;
    } else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return commas.length > 0 ? { commas, end: i } : null;
      depth--;
    } else if (c === ',' && depth === 0) commas.push(i);
  }
  return null;
}

/** How many patterns `{...}` makes of this one, counted without expanding (stops counting past `cap`). */
function countAlternatives(pattern: string, cap: number): number {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') i++;
    else if (c === '[') {
      const end = classEnd(pattern, i);
      if (end !== -1) i = end;
    } else if (c === '{') {
      const group = braceGroup(pattern, i);
      if (!group) continue;
      const bounds = [i, ...group.commas, group.end];
      let inside = 0;
      for (let k = 0; k + 1 < bounds.length && inside <= cap; k++) inside += countAlternatives(pattern.slice(bounds[k]! + 1, bounds[k + 1]), cap);
      if (inside > cap) return cap + 1;
      const rest = countAlternatives(pattern.slice(group.end + 1), cap);
      return Math.min(cap + 1, inside * rest);
    }
  }
  return 1;
}

/** The patterns `{...}` stands for (the caller has counted them first). */
function expandBraces(pattern: string): string[] {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') i++;
    else if (c === '[') {
      const end = classEnd(pattern, i);
      if (end !== -1) i = end;
    } else if (c === '{') {
      const group = braceGroup(pattern, i);
      if (!group) continue;
      const head = pattern.slice(0, i);
      const bounds = [i, ...group.commas, group.end];
      const options: string[] = [];
      for (let k = 0; k + 1 < bounds.length; k++) options.push(...expandBraces(pattern.slice(bounds[k]! + 1, bounds[k + 1])));
      const tails = expandBraces(pattern.slice(group.end + 1));
      return options.flatMap((option) => tails.map((tail) => head + option + tail));
    }
  }
  return [pattern];
}

// ---------------------------------------------------------------------------------------------------------------
// one pattern (braces expanded) → pieces

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
  for (let i = 0; i < segment.length; ) {
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

function piecesOf(pattern: string): { pieces: Piece[]; wildcards: number } {
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

// ---------------------------------------------------------------------------------------------------------------
// checks

/** Why a pattern cannot be saved (a sentence for the user), or null when it can. */
export function globProblem(pattern: string): string | null {
  const shown = pattern.length > 60 ? `${pattern.slice(0, 60)}…` : pattern;
  if (pattern.includes('\0')) return 'an exclusion pattern cannot hold a NUL character';
  if (pattern.length > GLOB_LIMITS.length) return `an exclusion pattern is at most ${GLOB_LIMITS.length} characters (${shown})`;
  if (pattern.startsWith('!')) return `${shown}: patterns that start with ! (negation) are not supported: list what to leave out`;
  if (/[@!+*?]\(|\|/.test(pattern.replace(/\\./g, '')))
    return `${shown}: (a|b) groups and extended globs are not supported: use {a,b} for alternatives`;
  const alternatives = countAlternatives(pattern, GLOB_LIMITS.alternatives);
  if (alternatives > GLOB_LIMITS.alternatives)
    return `${shown}: its braces stand for more than ${GLOB_LIMITS.alternatives} patterns: write fewer alternatives`;
  for (const alternative of expandBraces(pattern)) {
    if (piecesOf(alternative).wildcards > GLOB_LIMITS.wildcards)
      return `${shown}: an exclusion pattern holds at most ${GLOB_LIMITS.wildcards} wildcards (*, **, ?, [...])`;
  }
  return null;
}

/** Why a library's patterns cannot be saved, or null: each pattern's problem, their number and their size together. */
export function globsProblem(patterns: readonly string[]): string | null {
  if (patterns.length > GLOB_LIMITS.patterns) return `at most ${GLOB_LIMITS.patterns} exclusion patterns`;
  let total = 0;
  for (const pattern of patterns) {
    const problem = globProblem(pattern);
    if (problem) return problem;
    total += countAlternatives(pattern, GLOB_LIMITS.alternatives) * pattern.length;
  }
  if (total > GLOB_LIMITS.totalLength)
    return `the exclusion patterns are too long together (${total} characters with their braces expanded, at most ${GLOB_LIMITS.totalLength})`;
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// the automaton

/** Adds one pattern's pieces to the automaton; returns its first state. Built from the end (each piece knows its next). */
function addPieces(states: State[], pieces: readonly Piece[], end: number): number {
  const add = (state: State) => states.push(state) - 1;
  // a loop: its fork either takes one more character (and comes back) or goes on
  const loop = (test: (code: number) => boolean, after: number) => {
    const fork = add({ kind: 'split', out: -1, out1: after });
    (states[fork] as { out: number }).out = add({ kind: 'test', test, out: fork });
    return fork;
  };
  let next = end;
  for (let k = pieces.length - 1; k >= 0; k--) {
    const piece = pieces[k]!;
    switch (piece.kind) {
      case 'char':
        next = add({ kind: 'char', code: piece.code, out: next });
        break;
      case 'test':
        next = add({ kind: 'test', test: piece.test, out: next });
        break;
      case 'star':
        next = loop(notSlash, next);
        break;
      case 'all':
        next = loop(anything, next);
        break;
      case 'folders': // (.*/)?
        next = add({ kind: 'split', out: loop(anything, add({ kind: 'char', code: SLASH, out: next })), out1: next });
        break;
      case 'under': // (/.*)?
        next = add({ kind: 'split', out: add({ kind: 'char', code: SLASH, out: loop(anything, next) }), out1: next });
        break;
    }
  }
  return next;
}

export interface GlobMatcher {
  (path: string): boolean;
  /** Patterns left out because they break the looser bounds of saved patterns (none for patterns checked on saving). */
  readonly skipped: readonly string[];
}

/**
 * One matcher for all the patterns: true when any matches the whole path. `budgetMs`: the time all its calls together
 * may take, past which a call throws GlobTimeoutError (a scan stops with the reason rather than run on).
 */
export function compileGlobs(patterns: readonly string[], options: { budgetMs?: number } = {}): GlobMatcher {
  const states: State[] = [{ kind: 'match' }];
  const starts: number[] = [];
  const skipped: string[] = [];
  for (const pattern of patterns) {
    if (pattern.length > STORED_LIMITS.length || countAlternatives(pattern, STORED_LIMITS.alternatives) > STORED_LIMITS.alternatives) {
      skipped.push(pattern);
      continue;
    }
    for (const alternative of expandBraces(pattern)) starts.push(addPieces(states, piecesOf(alternative).pieces, 0));
  }
  const budget = options.budgetMs ?? Infinity;
  let spent = 0;
  // the states live at once, as a list and a mark per state (the step that put it in: no state twice a step)
  const marks = new Int32Array(states.length).fill(-1);
  let current = new Int32Array(states.length);
  let following = new Int32Array(states.length);
  const stack = new Int32Array(states.length * 2 + 2);

  /** Puts a state, and where its forks lead, in `list` (its length is returned). */
  const enter = (list: Int32Array, length: number, first: number, step: number): number => {
    let top = 0;
    stack[top++] = first;
    while (top > 0) {
      const index = stack[--top]!;
      if (marks[index] === step) continue;
      marks[index] = step;
      const state = states[index]!;
      if (state.kind === 'split') {
        stack[top++] = state.out1;
        stack[top++] = state.out;
      } else list[length++] = index;
    }
    return length;
  };

  let step = 0; // counts on across calls: a mark from an earlier call is never this step's
  const run = (path: string): boolean => {
    if (step > 2 ** 30) {
      marks.fill(-1);
      step = 0;
    }
    step++;
    let length = 0;
    for (const start of starts) length = enter(current, length, start, step);
    for (const char of path) {
      if (length === 0) return false;
      const code = char.codePointAt(0)!;
      step++;
      let nextLength = 0;
      for (let k = 0; k < length; k++) {
        const state = states[current[k]!]!;
        if ((state.kind === 'char' && state.code === code) || (state.kind === 'test' && state.test(code))) {
          nextLength = enter(following, nextLength, state.out, step);
        }
      }
      [current, following] = [following, current];
      length = nextLength;
    }
    for (let k = 0; k < length; k++) if (states[current[k]!]!.kind === 'match') return true;
    return false;
  };

  const matcher = (path: string): boolean => {
    if (starts.length === 0) return false;
    if (budget === Infinity) return run(path);
    if (spent > budget) throw new GlobTimeoutError(`matching the exclusion patterns took more than ${Math.round(budget / 1000)} s: simplify them`);
    const started = performance.now();
    try {
      return run(path);
    } finally {
      spent += performance.now() - started;
    }
  };
  return Object.assign(matcher, { skipped });
}
