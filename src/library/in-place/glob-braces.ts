// Brace groups (`{a,b}`, nested too) of an exclusion pattern, and the `[...]` classes they step over: counted without
// expanding (so a pattern's size is known before anything is built), and expanded. Syntax: ./glob-parse.ts.

/** The end of a `[...]` class starting at `start` (the index of its `]`), or -1 when it is not one (a plain `[`). */
export function classEnd(pattern: string, start: number): number {
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
export function countAlternatives(pattern: string, cap: number): number {
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
export function expandBraces(pattern: string): string[] {
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
