// The bounds on a library's exclusion patterns, checked where they are saved, and the sentence that says which one a
// pattern breaks.

import { countAlternatives, expandBraces } from './glob-braces.js';
import { piecesOf } from './glob-parse.js';

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
export const STORED_LIMITS = { length: 4096, alternatives: 256 } as const;

/** Why a pattern cannot be saved (a sentence for the user), or null when it can. */
export function globProblem(pattern: string): string | null {
  const shown = pattern.length > 60 ? `${pattern.slice(0, 60)}…` : pattern;
  if (pattern.includes('\0')) return 'an exclusion pattern cannot hold a NUL character';
  if (pattern.length > GLOB_LIMITS.length) return `an exclusion pattern is at most ${GLOB_LIMITS.length} characters (${shown})`;
  if (pattern.startsWith('!')) return `${shown}: patterns that start with ! (negation) are not supported: list what to leave out`;
  if (/[@!+*?]\(|\|/.test(pattern.replace(/\\./g, ''))) return `${shown}: (a|b) groups and extended globs are not supported: use {a,b} for alternatives`;
  const alternatives = countAlternatives(pattern, GLOB_LIMITS.alternatives);
  if (alternatives > GLOB_LIMITS.alternatives) return `${shown}: its braces stand for more than ${GLOB_LIMITS.alternatives} patterns: write fewer alternatives`;
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
