// Chinese, Japanese and Korean in keyword search: their words are not separated by spaces, so the index holds each
// run of such characters also as its overlapping pairs (drizzle/0025_cjk.sql), and a query word in these scripts is
// looked for as the phrase of its pairs — "取扱店" finds "キリン一番搾り取扱店" — the bigram indexing search engines use
// for these scripts without a dictionary. Pure.

/** Kana, CJK ideographs (with extension A and compatibility) and Hangul: the ranges of the SQL function. */
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+/gu;

export function hasCjk(text: string): boolean {
  CJK.lastIndex = 0;
  return CJK.test(text);
}

/** The overlapping pairs of a run of CJK characters (a single character alone). */
export function bigrams(run: string): string[] {
  const chars = [...run];
  if (chars.length <= 1) return chars;
  return chars.slice(0, -1).map((char, i) => char + chars[i + 1]!);
}

/** A word split into its runs: CJK runs and the rest, in order ("KIRIN一番" → KIRIN, 一番). */
export function scriptRuns(word: string): { text: string; cjk: boolean }[] {
  const runs: { text: string; cjk: boolean }[] = [];
  let last = 0;
  for (const match of word.matchAll(CJK)) {
    if (match.index > last) runs.push({ text: word.slice(last, match.index), cjk: false });
    runs.push({ text: match[0], cjk: true });
    last = match.index + match[0].length;
  }
  if (last < word.length) runs.push({ text: word.slice(last), cjk: false });
  return runs;
}
