/**
 * The search box's syntax, as on the web: words (each also matches as a prefix: "flow" finds "flowers"),
 * "quoted phrases", -exclusions (-word or -"a phrase"), and OR between two alternatives. Everything else is
 * punctuation. Parsing is pure; `tsquery.ts` turns the result into Postgres full-text queries.
 */

export type QueryPart =
  | { kind: 'word'; text: string }
  /** Several words in this order; a word with inner punctuation ("mother-in-law", "IMG_1234") is one too. */
  | { kind: 'phrase'; words: string[] };

export interface ParsedQuery {
  /** Each group matches when any of its alternatives does; every group must match. */
  groups: QueryPart[][];
  excluded: QueryPart[];
  /** The positive words in order, for the trigram and semantic arms. */
  positiveText: string;
  /** No positive part: nothing for the keyword arm to find (only exclusions, or only punctuation). */
  empty: boolean;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Splits on anything that is not a letter or digit. */
export function wordsOf(text: string): string[] {
  return text.normalize('NFC').match(WORD) ?? [];
}

function partOf(text: string): QueryPart | null {
  const words = wordsOf(text);
  if (words.length === 0) return null;
  return words.length === 1 ? { kind: 'word', text: words[0]! } : { kind: 'phrase', words };
}

interface Token {
  text: string;
  quoted: boolean;
  negated: boolean;
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    while (i < input.length && /\s/u.test(input[i]!)) i++;
    if (i >= input.length) break;
    let negated = false;
    if (input[i] === '-' && i + 1 < input.length && !/\s/u.test(input[i + 1]!)) {
      negated = true;
      i++;
    }
    if (input[i] === '"') {
      const end = input.indexOf('"', i + 1);
      const stop = end === -1 ? input.length : end;
      tokens.push({ text: input.slice(i + 1, stop), quoted: true, negated });
      i = stop + 1;
    } else {
      let j = i;
      while (j < input.length && !/\s/u.test(input[j]!) && input[j] !== '"') j++;
      tokens.push({ text: input.slice(i, j), quoted: false, negated });
      i = j;
    }
  }
  return tokens;
}

export function parseQuery(input: string): ParsedQuery {
  const groups: QueryPart[][] = [];
  const excluded: QueryPart[] = [];
  const positive: string[] = [];
  let orPending = false;
  for (const token of tokenize(input)) {
    if (!token.quoted && !token.negated && token.text === 'OR') {
      orPending = groups.length > 0;
      continue;
    }
    const part = partOf(token.text);
    if (!part) continue;
    if (token.negated) {
      excluded.push(part);
      orPending = false;
      continue;
    }
    positive.push(...(part.kind === 'word' ? [part.text] : part.words));
    if (orPending) groups[groups.length - 1]!.push(part);
    else groups.push([part]);
    orPending = false;
  }
  return { groups, excluded, positiveText: positive.join(' '), empty: groups.length === 0 };
}
