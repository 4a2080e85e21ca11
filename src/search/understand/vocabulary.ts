// What a user's library names, for query understanding: their people, places, albums and cameras, indexed by folded
// word sequences (tokens.ts) so that a query is matched left to right, longest first. Pure; the lists come from
// library/photo-search/understanding.ts.
import { DAY_WORDS, MONTHS, NEGATIONS, RELATIVE, SEASONS, STOP_WORDS, TYPES, UNITS } from './lexicon.js';
import { fold } from './tokens.js';

export interface VocabularyLists {
  /** Named people the user may search for (their own and those shared with them); photos: how many show them. */
  people: { id: string; name: string; photos: number }[];
  /**
   * Place names of the user's photos: cities, states and countries; `aliases`, a town's other names (the gazetteer's:
   * media/towns.ts), which name it too where they name nothing else.
   */
  places: { name: string; photos: number; aliases?: string[] }[];
  albums: { id: string; name: string }[];
  /** "Make Model" and the make alone, as the photos have them. */
  cameras: { label: string; photos: number }[];
}

export interface PersonEntry {
  id: string;
  name: string;
  photos: number;
  /** Matched by the whole name (not one of its parts): a whole name is never ambiguous with a first name. */
  whole: boolean;
}

export interface Vocabulary {
  people: Map<string, PersonEntry[]>;
  places: Map<string, { name: string; photos: number }>;
  albums: Map<string, { id: string; name: string }>;
  cameras: Map<string, { label: string; photos: number }>;
  /** People's folded names and name parts, for "did you mean" on a typo. */
  names: { fold: string; person: PersonEntry }[];
  /** Longest key, in words. */
  longest: number;
}

/** Country names in French and German for those whose English name the geocoder gives (folded). */
const COUNTRY_ALIASES: Record<string, string> = {
  allemagne: 'germany',
  deutschland: 'germany',
  espagne: 'spain',
  spanien: 'spain',
  italie: 'italy',
  italien: 'italy',
  angleterre: 'united kingdom',
  'royaume uni': 'united kingdom',
  grossbritannien: 'united kingdom',
  england: 'united kingdom',
  'etats unis': 'united states',
  usa: 'united states',
  'vereinigte staaten': 'united states',
  amerique: 'united states',
  suisse: 'switzerland',
  schweiz: 'switzerland',
  autriche: 'austria',
  osterreich: 'austria',
  oesterreich: 'austria',
  belgique: 'belgium',
  belgien: 'belgium',
  'pays bas': 'netherlands',
  niederlande: 'netherlands',
  hollande: 'netherlands',
  grece: 'greece',
  griechenland: 'greece',
  japon: 'japan',
  chine: 'china',
  mexique: 'mexico',
  mexiko: 'mexico',
  bresil: 'brazil',
  brasilien: 'brazil',
  maroc: 'morocco',
  marokko: 'morocco',
  irlande: 'ireland',
  irland: 'ireland',
  ecosse: 'united kingdom',
  schottland: 'united kingdom',
  norvege: 'norway',
  norwegen: 'norway',
  suede: 'sweden',
  schweden: 'sweden',
  danemark: 'denmark',
  danemarkt: 'denmark',
  pologne: 'poland',
  polen: 'poland',
  turquie: 'turkey',
  turkei: 'turkey',
  croatie: 'croatia',
  kroatien: 'croatia',
  islande: 'iceland',
  island: 'iceland',
  egypte: 'egypt',
  agypten: 'egypt',
  australie: 'australia',
  australien: 'australia',
  'nouvelle zelande': 'new zealand',
  neuseeland: 'new zealand',
  'afrique du sud': 'south africa',
  sudafrika: 'south africa',
  argentine: 'argentina',
  argentinien: 'argentina',
  chili: 'chile',
  perou: 'peru',
  kanada: 'canada',
  inde: 'india',
  indien: 'india',
  thailande: 'thailand',
  frankreich: 'france',
  portugal: 'portugal',
};

let countries: Map<string, string[]> | null = null;

/** A country's names in English, French and German (CLDR's, in Node's ICU) when the key is one of them, else none. */
function countryNames(key: string): string[] {
  if (countries === null) {
    countries = new Map();
    const languages = ['en', 'fr', 'de'].map((l) => new Intl.DisplayNames([l], { type: 'region', fallback: 'none' }));
    for (let a = 65; a <= 90; a++) {
      for (let b = 65; b <= 90; b++) {
        const code = String.fromCharCode(a, b);
        // codes Intl names that are no country: the EU, the UN, the Eurozone, pseudo-regions
        if (/^(EU|EZ|UN|QO|XA|XB|ZZ)$/.test(code)) continue;
        const names = languages.map((l) => l.of(code)).filter((n): n is string => n !== undefined);
        for (const n of names) if (!countries.has(keyOf(n))) countries.set(keyOf(n), names);
      }
    }
  }
  return countries.get(key) ?? [];
}

/** A word the parser reads itself (a month, "summer", "not", "photos"…), which a town's other name must not take. */
function fixedWord(key: string): boolean {
  return [MONTHS, SEASONS, DAY_WORDS, RELATIVE, UNITS, TYPES].some((words) => key in words) || STOP_WORDS.has(key) || NEGATIONS.has(key);
}

/** Folded words of a name, as a key: "Zoë O'Brien" → "zoe o brien". */
export function keyOf(text: string): string {
  return fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .join(' ');
}

export function buildVocabulary(lists: VocabularyLists): Vocabulary {
  const people = new Map<string, PersonEntry[]>();
  const names: Vocabulary['names'] = [];
  const add = (key: string, entry: PersonEntry) => {
    if (!key) return;
    const list = people.get(key) ?? [];
    if (!list.some((e) => e.id === entry.id)) list.push(entry);
    people.set(key, list);
  };
  for (const p of lists.people) {
    const key = keyOf(p.name);
    add(key, { ...p, whole: true });
    names.push({ fold: key, person: { ...p, whole: true } });
    const parts = key.split(' ');
    if (parts.length > 1) {
      for (const part of parts) {
        if (part.length < 2) continue;
        add(part, { ...p, whole: false });
        names.push({ fold: part, person: { ...p, whole: false } });
      }
    }
  }
  // a whole name wins over another person's first name ("Marie" alone, and "Marie Curie" whose first name is Marie)
  for (const [key, list] of people)
    if (list.some((e) => e.whole))
      people.set(
        key,
        list.filter((e) => e.whole),
      );
  const places = new Map<string, { name: string; photos: number }>();
  const byPhotos = [...lists.places].sort((a, b) => b.photos - a.photos);
  for (const { name, photos } of byPhotos) {
    const key = keyOf(name);
    if (key && !places.has(key)) places.set(key, { name, photos });
  }
  for (const [alias, english] of Object.entries(COUNTRY_ALIASES)) {
    const place = places.get(english);
    if (place && !places.has(alias)) places.set(alias, place);
  }
  // a town's other names after every place's own: "Lissabon" is Lisbon, unless the user has a place of that name; a
  // country's in the three languages, whichever its photos carry ("Tschechien", "Tchéquie" for Czechia)
  for (const { name, photos, aliases } of byPhotos) {
    for (const alias of [...(aliases ?? []), ...countryNames(keyOf(name))]) {
      const key = keyOf(alias);
      if (key && !places.has(key) && !fixedWord(key)) places.set(key, { name, photos });
    }
  }
  const albums = new Map<string, { id: string; name: string }>();
  for (const album of lists.albums) albums.set(keyOf(album.name), album);
  const cameras = new Map<string, { label: string; photos: number }>();
  for (const camera of lists.cameras) {
    const key = keyOf(camera.label);
    if (key) cameras.set(key, camera);
    // the model alone ("iPhone 12" for "Apple iPhone 12"), as people name their camera
    const model = key.split(' ').slice(1).join(' ');
    if (model && model.length >= 3 && !cameras.has(model)) cameras.set(model, camera);
  }
  const keys = [...people.keys(), ...places.keys(), ...albums.keys(), ...cameras.keys()];
  const longest = Math.min(6, Math.max(1, ...keys.map((k) => k.split(' ').length)));
  return { people, places, albums, cameras, names, longest };
}

// rows of the distance table, reused: a query checks hundreds of names
let rowA = new Int32Array(32);
let rowB = new Int32Array(32);
let rowC = new Int32Array(32);

/**
 * Whether two words are within `max` edits (Damerau-Levenshtein: a letter added, dropped, changed, or two swapped),
 * for names typed with a slip. Cheap checks first: the lengths, and the first two letters (one edit keeps one of
 * them in place or swapped).
 */
export function closeTo(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  if (a.length < 2 || b.length < 2) return a === b || max >= Math.max(a.length, b.length);
  if (max === 1 && a[0] !== b[0] && a[1] !== b[1] && a[0] !== b[1] && a[1] !== b[0]) return false;
  const cols = b.length + 1;
  if (rowA.length < cols) {
    rowA = new Int32Array(cols * 2);
    rowB = new Int32Array(cols * 2);
    rowC = new Int32Array(cols * 2);
  }
  // rowA: two rows back, rowB: the previous row, rowC: this row
  for (let j = 0; j < cols; j++) rowB[j] = j;
  for (let i = 1; i <= a.length; i++) {
    rowC[0] = i;
    let best = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(rowB[j]! + 1, rowC[j - 1]! + 1, rowB[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, rowA[j - 2]! + 1);
      rowC[j] = v;
      if (v < best) best = v;
    }
    if (best > max) return false;
    const oldest = rowA;
    rowA = rowB;
    rowB = rowC;
    rowC = oldest;
  }
  return rowB[b.length]! <= max;
}
