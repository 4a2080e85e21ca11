// The words of a query for understanding: each with where it is in the text (for chips that can be taken out), its
// folded form (lower case, no accents, ß as ss), and whether it was quoted, -excluded or possessive ("Anna's"). Pure.

export interface Token {
  /** As typed (without quotes, the minus of an exclusion or a possessive 's). */
  text: string;
  fold: string;
  /** Where it is in the query: [start, end). */
  start: number;
  end: number;
  /** The same with what goes with it when it is taken out: its quotes, its minus, its possessive 's. */
  outerStart: number;
  outerEnd: number;
  quoted: boolean;
  /** Written with a leading minus: -word or -"a phrase". */
  excluded: boolean;
  possessive: boolean;
}

/** Lower case, no accents, ß as ss: how names and words are compared. */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[’‘`´]/g, "'");
}

// a date or range written with digits, a word (letters and digits, inner apostrophes and hyphens), or a dash alone
const WORD = /\d{4}-\d{2}-\d{2}|\d{4}-\d{2}(?![\d])|\d{4}[-–]\d{4}|[★☆]+|[\p{L}\p{N}]+(?:['’\-.][\p{L}\p{N}]+)*\.?|[-–](?=\s|$)/gu;
/** French elisions: l'été, d'Anna, qu'… — the part after the apostrophe is the word. */
const ELISION = /^(l|d|j|m|t|s|n|c|qu|jusqu)['’](.+)$/iu;
const POSSESSIVE = /^(.+?)['’]s?$/u;
/** Words written with a hyphen that mean one thing. */
const JOINED = new Set(['week-end', 'avant-hier', 'saint-sylvestre', 'saint-valentin']);

function wordsIn(text: string, offset: number, quoted: boolean, excluded: boolean, out: Token[]): void {
  for (const m of text.matchAll(WORD)) {
    let word = m[0].replace(/\.$/, (dot) => (/^\d{1,2}\.$/.test(m[0]) ? dot : '')); // "3." (a German day) keeps its dot
    let start = offset + m.index;
    const outerStart = start - (excluded && out.length === 0 ? 1 : 0);
    const outerEnd = offset + m.index + m[0].length;
    let possessive = false;
    const elided = ELISION.exec(word);
    if (elided && !quoted) {
      start += word.length - elided[2]!.length;
      word = elided[2]!;
    }
    if (/^aujourd['’]hui$/iu.test(word)) {
      out.push({ text: word, fold: 'aujourdhui', start, end: start + word.length, outerStart: start, outerEnd, quoted, excluded, possessive: false });
      continue;
    }
    const owner = /['’]s$/iu.test(word) || /s['’]$/iu.test(word) ? POSSESSIVE.exec(word) : null;
    if (owner && !quoted) {
      word = owner[1]!;
      possessive = true;
    }
    // O'Brien, Jean-Luc: their parts, as names are indexed (a few words are written with a hyphen on purpose)
    const pieces = JOINED.has(fold(word)) || /^\d/.test(word) || !/[\p{L}\p{N}]['’-][\p{L}\p{N}]/u.test(word) ? [word] : word.split(/['’-]/);
    let at = start;
    pieces.forEach((piece, index) => {
      const first = index === 0;
      const last = index === pieces.length - 1;
      if (piece) {
        out.push({
          text: piece,
          fold: fold(piece),
          start: at,
          end: at + piece.length,
          outerStart: first ? Math.min(outerStart, at) : at,
          outerEnd: last ? outerEnd : at + piece.length,
          quoted,
          excluded,
          possessive,
        });
      }
      at += piece.length + 1;
    });
  }
}

/** The query's words in order; a quoted phrase is one token, its words kept together. */
export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i]!;
    if (/\s/u.test(c)) {
      i++;
      continue;
    }
    const excluded = c === '-' && i + 1 < query.length && !/\s/u.test(query[i + 1]!);
    const at = excluded ? i + 1 : i;
    if (query[at] === '"' || query[at] === '“' || query[at] === '«') {
      const closing = query[at] === '«' ? '»' : query[at] === '“' ? '”' : '"';
      const end = query.indexOf(closing, at + 1);
      const stop = end === -1 ? query.length : end;
      const inner = query.slice(at + 1, stop);
      const text = inner.trim();
      if (text) {
        const start = at + 1 + inner.indexOf(text);
        const outerEnd = end === -1 ? query.length : end + 1;
        tokens.push({ text, fold: fold(text), start, end: start + text.length, outerStart: i, outerEnd, quoted: true, excluded, possessive: false });
      }
      i = stop + 1;
      continue;
    }
    let j = at;
    while (j < query.length && !/\s/u.test(query[j]!) && query[j] !== '"') j++;
    const words: Token[] = [];
    wordsIn(query.slice(at, j), at, false, excluded, words);
    // a minus applies to the first word after it only
    for (let k = 1; k < words.length; k++) words[k]!.excluded = false;
    tokens.push(...words);
    i = j;
  }
  return tokens;
}
