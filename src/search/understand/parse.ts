// Query understanding: a search typed in the user's own words turned into structure before the search runs —
// people, places, dates, the kind of item, camera, favourites and ratings, albums, quoted text and negations —
// with what is left searched as words and meaning. Local, pure and bounded: a query is read once, left to right,
// trying the longest name first at each word (vocabulary.ts), then the fixed words of three languages
// (lexicon.ts) and dates (dates.ts). Nothing understood: the text is searched exactly as typed.
import { iso } from './calendar.js';
import { dateAt } from './dates.js';
import { ALBUM_WORDS, ANY_WORDS, BEST, CAMERA_WORDS, FAVOURITES, NEGATIONS, STARS, STOP_WORDS, TYPES } from './lexicon.js';
import { tokenize, type Token } from './tokens.js';
import { nothingUnderstood, type PartKind, type Understood, type UnderstandContext } from './understood.js';
import { closeTo, type PersonEntry, type Vocabulary } from './vocabulary.js';

/** Longest query read: longer ones are cut (the search box takes 500 characters). */
export const MAX_UNDERSTOOD_CHARS = 500;

const STAR_GLYPHS = /^★+$/u;

/** The person a name means: one, or the one in most photos with the others offered as "did you mean". */
function pickPerson(entries: PersonEntry[]): { chosen: PersonEntry; others: PersonEntry[] } {
  const sorted = [...entries].sort((a, b) => b.photos - a.photos || a.name.localeCompare(b.name));
  return { chosen: sorted[0]!, others: sorted.slice(1) };
}

/** Month and season names that are everyday words too. */
const AMBIGUOUS_DATE_WORDS = new Set(['may', 'march', 'mar', 'fall', 'spring', 'jan', 'sept', 'dec', 'mai', 'mars']);
/** Words after which those are dates. */
const DATE_LEADS = new Set([
  'in',
  'last',
  'this',
  'next',
  'since',
  'before',
  'after',
  'from',
  'during',
  'en',
  'depuis',
  'avant',
  'apres',
  'im',
  'seit',
  'vor',
  'nach',
]);

/** Camera makes that are also everyday words: recognised only after "camera", "shot on"… */
const AMBIGUOUS_MAKES = new Set(['apple', 'google', 'nothing', 'essential']);

function read(query: string, vocabulary: Vocabulary, context: UnderstandContext, southern: boolean): Understood {
  const result = nothingUnderstood();
  const tokens = tokenize(query.slice(0, MAX_UNDERSTOOD_CHARS));
  const words = tokens.map((t) => t.fold);
  const leftover: Token[] = [];
  let negate = false;
  let negationStart = -1;
  const part = (kind: PartKind, label: string, from: Token, to: Token, negated = false) => {
    let start = negated && negationStart >= 0 ? negationStart : from.outerStart;
    // the little words just before it that belong to it ("in Portugal", "and Pierre"): taken out with it
    if (kind !== 'text' && kind !== 'exclusion') {
      let j = tokens.findIndex((t) => t.start >= start) - 1;
      while (j >= 0 && leftover[leftover.length - 1] === tokens[j] && STOP_WORDS.has(tokens[j]!.fold)) {
        start = tokens[j]!.start;
        leftover.pop();
        j--;
      }
    }
    result.parts.push({ kind, label, negated, start, end: to.outerEnd });
  };
  /** Whether an album's name starts at word `k`. */
  const namesAlbum = (k: number) => {
    for (let n = Math.min(vocabulary.longest, tokens.length - k); n >= 1; n--) if (vocabulary.albums.has(words.slice(k, k + n).join(' '))) return true;
    return false;
  };
  const key = (i: number, n: number) => (i + n > tokens.length || tokens.slice(i, i + n).some((t) => t.quoted) ? null : words.slice(i, i + n).join(' '));

  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i]!;
    const negated = negate || token.excluded;
    if (token.quoted) {
      if (negated) result.excludedWords.push(`"${token.text}"`);
      else result.quoted.push(token.text);
      part(negated ? 'exclusion' : 'text', `"${token.text}"`, token, token, negated);
      negate = false;
      negationStart = -1;
      i++;
      continue;
    }
    // "not in any album", "in no album", "in an album"
    const albumAny = matchAnyAlbum(words, i, (k) => namesAlbum(k));
    if (albumAny) {
      const inAlbum = albumAny.inAlbum !== negated;
      result.inAlbum = inAlbum;
      part('album', inAlbum ? 'in an album' : 'in no album', token, tokens[i + albumAny.length - 1]!, false);
      negate = false;
      negationStart = -1;
      i += albumAny.length;
      continue;
    }
    if (NEGATIONS.has(token.fold) && !token.excluded && i + 1 < tokens.length) {
      negate = true;
      negationStart = token.start;
      i++;
      continue;
    }
    // "not album Holidays": the negation is for the album named after the word
    if (ALBUM_WORDS.has(token.fold) && namesAlbum(i + 1)) {
      leftover.push(token);
      i++;
      continue;
    }
    const matched = readEntity(i);
    if (matched > 0) {
      negate = false;
      negationStart = -1;
      i += matched;
      continue;
    }
    if (negated && !STOP_WORDS.has(token.fold)) {
      result.excludedWords.push(token.text);
      part('exclusion', token.text, token, token, true);
      negate = false;
      negationStart = -1;
    } else if (!negated || !STOP_WORDS.has(token.fold)) {
      leftover.push(token);
    }
    i++;
  }

  /** The longest entity at `at`, recorded; the number of words it took (0: none). */
  function readEntity(at: number): number {
    const token = tokens[at]!;
    const negated = negate || token.excluded;
    for (let n = Math.min(vocabulary.longest, tokens.length - at); n >= 1; n--) {
      const k = key(at, n);
      if (!k) continue;
      const last = tokens[at + n - 1]!;
      const people = vocabulary.people.get(k);
      if (people) {
        const { chosen, others } = pickPerson(people);
        // "Marie or Pierre": either of them
        const or = leftover[leftover.length - 1];
        if (or && /^(or|ou|oder|OR)$/.test(or.text) && tokens[at - 1] === or && result.parts[result.parts.length - 1]?.kind === 'person') {
          result.peopleMatch = 'any';
          leftover.pop();
        }
        if (!result.people.some((p) => p.id === chosen.id)) result.people.push({ id: chosen.id, name: chosen.name, negated });
        part('person', chosen.name, token, last, negated);
        if (others.length > 0) {
          result.didYouMean.push({
            text: tokens
              .slice(at, at + n)
              .map((t) => t.text)
              .join(' '),
            start: token.start,
            end: last.end,
            options: [chosen, ...others].map(({ id, name }) => ({ id, name })),
          });
        }
        return n;
      }
      // "album Holidays", "the Holidays album"
      if (ALBUM_WORDS.has(words[at - 1] ?? '') || ALBUM_WORDS.has(words[at + n] ?? '')) {
        const album = vocabulary.albums.get(k);
        if (album) {
          result.album = { ...album, negated };
          const albumWordAfter = ALBUM_WORDS.has(words[at + n] ?? '');
          removeAlbumWordBefore(at);
          const albumWordBefore = ALBUM_WORDS.has(words[at - 1] ?? '') && !albumWordAfter;
          part('album', album.name, albumWordBefore ? tokens[at - 1]! : token, albumWordAfter ? tokens[at + n]! : last, negated);
          return albumWordAfter ? n + 1 : n;
        }
      }
      const place = vocabulary.places.get(k);
      if (place) {
        if (!result.places.some((p) => p.name === place.name)) result.places.push({ name: place.name, negated });
        part('place', place.name, token, last, negated);
        return n;
      }
      const camera = vocabulary.cameras.get(k);
      if (camera && !negated && (!AMBIGUOUS_MAKES.has(k) || CAMERA_WORDS.has(words[at - 1] ?? '') || words[at - 1] === 'on')) {
        result.camera = camera.label;
        part('camera', camera.label, token, last, negated);
        return n;
      }
    }
    const date = dateAt(words, at, { today: context.today, southern });
    // "may", "march", "fall", "spring" alone are words more often than dates: a date with a year or a day, or after
    // "in", "last", "this"…
    const plainWord = date && date.length === 1 && AMBIGUOUS_DATE_WORDS.has(token.fold) && !DATE_LEADS.has(words[at - 1] ?? '');
    // a day of every year is not excluded (no such filter): the word is, below
    if (date && !plainWord && !(negated && !('range' in date))) {
      const last = tokens[at + date.length - 1]!;
      if ('range' in date) result.dates.push({ from: iso(date.range.from), to: iso(date.range.to), label: date.label, negated });
      else result.yearly.push(date.yearly);
      part('date', date.label, token, last, negated);
      return date.length;
    }
    const fixed = readFixedWord(at, negated);
    return fixed;
  }

  /** Kinds of item, favourites, "best", ratings, home. */
  function readFixedWord(at: number, negated: boolean): number {
    const token = tokens[at]!;
    const w = token.fold;
    const two = key(at, 2);
    // "away from home" is "not at home" in other words: its lead turns the negation round ("not away from home": home)
    const away = context.home ? awayLead(words, at) : 0;
    const home = context.home ? homeWords(words[at + away] ?? '', words[at + away + 1]) : 0;
    if (home > 0) {
      const notHome = negated !== away > 0;
      result.home = { negated: notHome };
      // the web app says "not" before a negated chip whose label does not: the label says it here, once
      part('place', notHome ? 'not at home' : 'home', token, tokens[at + away + home - 1]!, negated);
      result.parts[result.parts.length - 1]!.negated = notHome;
      return away + home;
    }
    const type = (two && TYPES[two]) || TYPES[w];
    if (type) {
      const n = two && TYPES[two] ? 2 : 1;
      const last = tokens[at + n - 1]!;
      if (type === 'video') {
        result.type = negated ? 'photo' : 'video';
        part('type', negated ? 'no videos' : 'videos', token, last, negated);
      } else if (type === 'photo') {
        // "photos of …" is how people start a search: a filter only when it rules videos out ("only photos", "not videos")
        if (negated) {
          result.type = 'video';
          // the chip reads "no photos" (videos only), not "not videos"
          part('type', 'no photos', token, last, true);
        } else if (['only', 'just', 'nur', 'seulement', 'uniquement'].includes(words[at - 1] ?? '')) {
          result.type = 'photo';
          part('type', 'photos only', tokens[at - 1]!, last);
          dropLeftover(tokens[at - 1]!);
        } else return 0;
      } else if (!negated) {
        result.kind = type;
        part('type', type === 'screenshot' ? 'screenshots' : 'selfies', token, last);
      } else return 0;
      return n;
    }
    if (FAVOURITES.has(w)) {
      result.favorite = !negated;
      part('favorite', negated ? 'not favourites' : 'favourites', token, token, negated);
      return 1;
    }
    if (BEST.has(w) && !negated) {
      result.best = true;
      part('best', 'best first', token, token);
      return 1;
    }
    // 4 stars, 4-star, ★★★★, rated 4
    if (negated) return 0; // "not 4 stars": no such filter; the words are excluded instead
    const count = /^([1-5])(?:-?(?:star|stars|etoiles?|sterne?n?))?$/.exec(w);
    if (count && (STARS.has(words[at + 1] ?? '') || w.length > 1)) {
      const n = STARS.has(words[at + 1] ?? '') ? 2 : 1;
      result.minRating = Number(count[1]);
      part('rating', `${count[1]}★ and up`, token, tokens[at + n - 1]!);
      return n;
    }
    if (STAR_GLYPHS.test(token.text)) {
      result.minRating = Math.min(5, token.text.length);
      part('rating', `${result.minRating}★ and up`, token, token);
      return 1;
    }
    if ((w === 'rated' || w === 'rating' || w === 'note' || w === 'bewertung') && /^[1-5]$/.test(words[at + 1] ?? '')) {
      result.minRating = Number(words[at + 1]);
      part('rating', `${result.minRating}★ and up`, token, tokens[at + 1]!);
      return 2;
    }
    return 0;
  }

  function removeAlbumWordBefore(at: number): void {
    const before = tokens[at - 1];
    if (before && ALBUM_WORDS.has(before.fold)) dropLeftover(before);
  }

  function dropLeftover(token: Token): void {
    const index = leftover.indexOf(token);
    if (index >= 0) leftover.splice(index, 1);
  }

  const understoodSomething = result.parts.some((p) => p.kind !== 'text' && p.kind !== 'exclusion');
  // typos of a name ("Piere"): offered, not applied
  for (const token of leftover) {
    if (token.fold.length < 4 || STOP_WORDS.has(token.fold)) continue;
    const max = token.fold.length >= 8 ? 2 : 1;
    const options = new Map<string, { id: string; name: string }>();
    for (const { fold, person } of vocabulary.names) {
      if (fold !== token.fold && closeTo(token.fold, fold, max)) options.set(person.id, { id: person.id, name: person.name });
    }
    if (options.size > 0 && options.size <= 5) result.didYouMean.push({ text: token.text, start: token.start, end: token.end, options: [...options.values()] });
  }
  // "photos of …" says nothing more once something else was understood
  const kept = understoodSomething ? leftover.filter((t) => !STOP_WORDS.has(t.fold) && !CAMERA_WORDS.has(t.fold) && TYPES[t.fold] !== 'photo') : leftover;
  const allStopWords = leftover.length > 0 && leftover.every((t) => STOP_WORDS.has(t.fold));
  if (!understoodSomething) {
    // nothing understood: searched exactly as typed (its own syntax: OR, exclusions, phrases)
    result.text = query.slice(0, MAX_UNDERSTOOD_CHARS).trim();
    result.parts = [];
    return result;
  }
  const text = [
    ...(allStopWords ? [] : kept.map((t) => t.text)),
    ...result.quoted.map((q) => `"${q.replace(/"/g, '')}"`),
    ...result.excludedWords.map((w) => `-${w}`),
  ];
  result.text = text.join(' ');
  return result;
}

/** "in any album", "not in any album", "in no album", "without album": the length and what it asks. */
function matchAnyAlbum(words: readonly string[], i: number, namesAlbum: (k: number) => boolean): { length: number; inAlbum: boolean } | null {
  let k = i;
  let negated = false;
  if (NEGATIONS.has(words[k] ?? '') && words[k] !== 'no' && words[k] !== 'kein' && words[k] !== 'keinem') {
    negated = true;
    k++;
  }
  if (words[k] === 'in' || words[k] === 'dans' || words[k] === 'im') k++;
  let no = false;
  if (words[k] === 'no' || words[k] === 'aucun' || words[k] === 'keinem' || words[k] === 'kein') {
    no = true;
    k++;
  } else if (ANY_WORDS.has(words[k] ?? '')) k++;
  if (!ALBUM_WORDS.has(words[k] ?? '')) return null;
  // "not album Holidays": an album named after it, not "in no album"
  if (namesAlbum(k + 1)) return null;
  // "album" alone is not this (it names an album after it); something before it must say any, no or not
  if (k === i) return null;
  if (!negated && !no && !ANY_WORDS.has(words[k - 1] ?? '')) return null;
  return { length: k - i + 1, inAlbum: !(negated || no) };
}

/** Understands a query (seasons north of the equator unless the context says south). */
export function understand(query: string, vocabulary: Vocabulary, context: UnderstandContext): Understood {
  return read(query, vocabulary, context, context.southern ?? false);
}

/** "away from (the) home", "loin de (la) maison", "weg von zu Hause": how many words lead to home's (0: none). */
function awayLead(words: readonly string[], at: number): number {
  const lead = AWAY_LEADS.find((l) => l.every((w, k) => words[at + k] === w));
  if (!lead) return 0;
  const article = ['the', 'my', 'la', 'ma'].includes(words[at + lead.length] ?? '') ? 1 : 0;
  return lead.length + article;
}

const AWAY_LEADS: readonly (readonly string[])[] = [['away', 'from'], ['away'], ['loin', 'de'], ['weg', 'von'], ['fern', 'von']];

/** Words for home in three languages: "home", "maison" (à la maison), "zuhause", "zu Hause", "daheim", "chez moi/nous". */
function homeWords(word: string, next: string | undefined): number {
  if (word === 'home' || word === 'maison' || word === 'zuhause' || word === 'daheim') return 1;
  if ((word === 'zu' && next === 'hause') || (word === 'chez' && (next === 'moi' || next === 'nous'))) return 2;
  return 0;
}
