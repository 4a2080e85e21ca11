// Glob patterns of files and folders a library leaves out, matched in time linear in the path's length: each
// pattern becomes a small automaton (Thompson's construction) that is run over the path once, all of its states at
// a time, so no pattern can backtrack (a regex of `*a*a*a*a*a*a*b` took seconds per file name and froze the server).
// Paths are relative to the library's folder, `/`-separated, compared case-sensitively.
// The syntax is ./glob-parse.ts's, the bounds on patterns ./glob-limits.ts's.

import { countAlternatives, expandBraces } from './glob-braces.js';
import { STORED_LIMITS } from './glob-limits.js';
import { notSlash, piecesOf, SLASH, type Piece } from './glob-parse.js';
import type { MatchTime } from './match-time.js';

export class GlobTimeoutError extends Error {}

/** One character step of the automaton: a character, a test, a fork (two ways on, no character), or the end. */
type State =
  | { kind: 'char'; code: number; out: number }
  | { kind: 'test'; test: (code: number) => boolean; out: number }
  | { kind: 'split'; out: number; out1: number }
  | { kind: 'match' };

const anything = () => true;

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

/**
 * The longest run of plain characters in a pattern's pieces: a path the pattern matches holds it, so a path without
 * it is not run through that pattern at all (`**​/@eaDir/**` costs an `includes` on most paths).
 */
function requiredText(pieces: readonly Piece[]): string {
  let best = '';
  let run = '';
  for (const piece of pieces) {
    if (piece.kind === 'char') {
      run += String.fromCodePoint(piece.code);
      if (run.length > best.length) best = run;
    } else run = '';
  }
  return best;
}

export interface GlobMatcher {
  (path: string): boolean;
  /** Patterns left out because they break the looser bounds of saved patterns (none for patterns checked on saving). */
  readonly skipped: readonly string[];
}

/**
 * One matcher for all the patterns: true when any matches the whole path. `time`: what its calls may take
 * (./match-time.ts), past which a call throws GlobTimeoutError (a scan stops with the reason rather than run on).
 */
export function compileGlobs(patterns: readonly string[], options: { time?: MatchTime } = {}): GlobMatcher {
  const states: State[] = [{ kind: 'match' }];
  const starts: { state: number; text: string }[] = [];
  const skipped: string[] = [];
  for (const pattern of patterns) {
    if (pattern.length > STORED_LIMITS.length || countAlternatives(pattern, STORED_LIMITS.alternatives) > STORED_LIMITS.alternatives) {
      skipped.push(pattern);
      continue;
    }
    for (const alternative of expandBraces(pattern)) {
      const { pieces } = piecesOf(alternative);
      starts.push({ state: addPieces(states, pieces, 0), text: requiredText(pieces) });
    }
  }
  const { time } = options;
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
    for (const start of starts) if (path.includes(start.text)) length = enter(current, length, start.state, step);
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
    if (!time) return run(path);
    if (time.usedUp) throw new GlobTimeoutError(`matching the exclusion patterns took more than ${+(time.limitMs / 1000).toFixed(1)} s: simplify them`);
    const started = performance.now();
    try {
      return run(path);
    } finally {
      time.spend(performance.now() - started);
    }
  };
  return Object.assign(matcher, { skipped });
}
