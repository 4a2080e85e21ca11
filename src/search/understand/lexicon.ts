// The words query understanding knows, in English, French and German: the three languages with the most users of
// self-hosted photo software in Europe, the same Latin script (one tokenizer) and month names that do not collide
// across them. Every word is written folded (lower case, no accents: `fold` in parse.ts), as queries are matched.

export type Language = 'en' | 'fr' | 'de';

/** Month numbers (1–12) by name and common abbreviation. */
export const MONTHS: Record<string, number> = {
  // English
  january: 1,
  jan: 1,
  february: 2,
  feb: 2,
  march: 3,
  mar: 3,
  april: 4,
  apr: 4,
  may: 5,
  june: 6,
  jun: 6,
  july: 7,
  jul: 7,
  august: 8,
  aug: 8,
  september: 9,
  sept: 9,
  sep: 9,
  october: 10,
  oct: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
  // French
  janvier: 1,
  fevrier: 2,
  mars: 3,
  avril: 4,
  mai: 5,
  juin: 6,
  juillet: 7,
  aout: 8,
  septembre: 9,
  octobre: 10,
  novembre: 11,
  decembre: 12,
  // German
  januar: 1,
  februar: 2,
  marz: 3,
  maerz: 3,
  juni: 6,
  juli: 7,
  oktober: 10,
  dezember: 12,
};

export type Season = 'spring' | 'summer' | 'autumn' | 'winter';

export const SEASONS: Record<string, Season> = {
  spring: 'spring',
  summer: 'summer',
  autumn: 'autumn',
  fall: 'autumn',
  winter: 'winter',
  printemps: 'spring',
  ete: 'summer',
  automne: 'autumn',
  hiver: 'winter',
  fruhling: 'spring',
  fruehling: 'spring',
  sommer: 'summer',
  herbst: 'autumn',
};

/** Days of the year that recur (month-day ranges, inclusive), by the words that name them (up to three words). */
export const HOLIDAYS: Record<string, { from: string; to: string; label: string }> = {
  christmas: { from: '12-24', to: '12-26', label: 'Christmas' },
  xmas: { from: '12-24', to: '12-26', label: 'Christmas' },
  'christmas eve': { from: '12-24', to: '12-24', label: 'Christmas Eve' },
  noel: { from: '12-24', to: '12-26', label: 'Christmas' },
  weihnachten: { from: '12-24', to: '12-26', label: 'Christmas' },
  heiligabend: { from: '12-24', to: '12-24', label: 'Christmas Eve' },
  'new year': { from: '12-31', to: '01-01', label: 'New Year' },
  'new years': { from: '12-31', to: '01-01', label: 'New Year' },
  'new years eve': { from: '12-31', to: '12-31', label: "New Year's Eve" },
  'new year eve': { from: '12-31', to: '12-31', label: "New Year's Eve" },
  'nouvel an': { from: '12-31', to: '01-01', label: 'New Year' },
  'jour de l an': { from: '01-01', to: '01-01', label: "New Year's Day" },
  'saint sylvestre': { from: '12-31', to: '12-31', label: "New Year's Eve" },
  silvester: { from: '12-31', to: '12-31', label: "New Year's Eve" },
  neujahr: { from: '01-01', to: '01-01', label: "New Year's Day" },
  halloween: { from: '10-31', to: '10-31', label: 'Halloween' },
  'valentines day': { from: '02-14', to: '02-14', label: "Valentine's Day" },
  valentines: { from: '02-14', to: '02-14', label: "Valentine's Day" },
  'saint valentin': { from: '02-14', to: '02-14', label: "Valentine's Day" },
  valentinstag: { from: '02-14', to: '02-14', label: "Valentine's Day" },
  'bastille day': { from: '07-14', to: '07-14', label: 'Bastille Day' },
  'independence day': { from: '07-04', to: '07-04', label: 'Independence Day' },
  'fourth of july': { from: '07-04', to: '07-04', label: 'Independence Day' },
};

/** "last", "this", "next" in each language (the word before a unit or a season). */
export const RELATIVE: Record<string, -1 | 0 | 1> = {
  last: -1,
  past: -1,
  previous: -1,
  this: 0,
  current: 0,
  next: 1,
  dernier: -1,
  derniere: -1,
  passe: -1,
  passee: -1,
  ce: 0,
  cet: 0,
  cette: 0,
  prochain: 1,
  prochaine: 1,
  letzten: -1,
  letzte: -1,
  letztes: -1,
  letzter: -1,
  vergangenen: -1,
  vergangene: -1,
  vergangenes: -1,
  diesen: 0,
  diese: 0,
  dieses: 0,
  diesem: 0,
  nachsten: 1,
  nachste: 1,
  naechsten: 1,
};

export type Unit = 'day' | 'week' | 'weekend' | 'month' | 'year';

export const UNITS: Record<string, Unit> = {
  day: 'day',
  days: 'day',
  week: 'week',
  weeks: 'week',
  weekend: 'weekend',
  month: 'month',
  months: 'month',
  year: 'year',
  years: 'year',
  jour: 'day',
  jours: 'day',
  semaine: 'week',
  semaines: 'week',
  'week-end': 'weekend',
  mois: 'month',
  an: 'year',
  ans: 'year',
  annee: 'year',
  annees: 'year',
  tag: 'day',
  tage: 'day',
  tagen: 'day',
  woche: 'week',
  wochen: 'week',
  wochenende: 'weekend',
  monat: 'month',
  monate: 'month',
  monaten: 'month',
  jahr: 'year',
  jahre: 'year',
  jahren: 'year',
};

/** Single words for a day relative to today. */
export const DAY_WORDS: Record<string, number> = {
  today: 0,
  yesterday: -1,
  aujourdhui: 0,
  hier: -1,
  heute: 0,
  gestern: -1,
  vorgestern: -2,
  'avant-hier': -2,
};

/** "ago" after a count ("3 years ago"), "il y a" before it, "vor" before it (German). */
export const AGO_AFTER = new Set(['ago']);
export const AGO_BEFORE = new Set(['vor', 'il y a']);

/** Range words: since / before / after / between … and / from … to. */
export const SINCE = new Set(['since', 'depuis', 'seit']);
export const BEFORE = new Set(['before', 'avant', 'vor']);
export const AFTER = new Set(['after', 'apres', 'nach']);
export const BETWEEN = new Set(['between', 'entre', 'zwischen']);
export const FROM = new Set(['from', 'de', 'du', 'von']);
export const TO = new Set(['to', 'until', 'till', 'a', 'au', 'jusqu', 'bis', 'and', 'et', 'und']);

/** Words that turn the next thing named into an exclusion. */
export const NEGATIONS = new Set([
  'not',
  'without',
  'except',
  'excluding',
  'no',
  'sans',
  'pas',
  'sauf',
  'hors',
  'ohne',
  'nicht',
  'ausser',
  'kein',
  'keine',
  'keinen',
]);

/** Media kinds by name. */
export const TYPES: Record<string, 'photo' | 'video' | 'screenshot' | 'selfie'> = {
  photo: 'photo',
  photos: 'photo',
  picture: 'photo',
  pictures: 'photo',
  pic: 'photo',
  pics: 'photo',
  image: 'photo',
  images: 'photo',
  foto: 'photo',
  fotos: 'photo',
  bild: 'photo',
  bilder: 'photo',
  video: 'video',
  videos: 'video',
  clip: 'video',
  clips: 'video',
  movie: 'video',
  movies: 'video',
  film: 'video',
  films: 'video',
  filme: 'video',
  screenshot: 'screenshot',
  screenshots: 'screenshot',
  'screen shot': 'screenshot',
  'screen shots': 'screenshot',
  capture: 'screenshot',
  captures: 'screenshot',
  bildschirmfoto: 'screenshot',
  selfie: 'selfie',
  selfies: 'selfie',
};

/** Favourites, by name. */
export const FAVOURITES = new Set([
  'favorite',
  'favorites',
  'favourite',
  'favourites',
  'fave',
  'faves',
  'starred',
  'favori',
  'favoris',
  'favorit',
  'favoriten',
]);

/** "best": ranked by the user's marks and the best-shot score. */
export const BEST = new Set(['best', 'top', 'meilleures', 'meilleurs', 'meilleure', 'meilleur', 'beste', 'besten', 'schonsten', 'schoensten']);

/** "stars" after a count: a minimum rating. */
export const STARS = new Set(['star', 'stars', 'etoile', 'etoiles', 'stern', 'sterne', 'sternen']);

/** "album" before or after an album's name, and "in any album" / "not in any album". */
export const ALBUM_WORDS = new Set(['album', 'albums', 'alben']);
export const ANY_WORDS = new Set(['any', 'an', 'a', 'some', 'un', 'aucun', 'einem', 'keinem']);

/** "camera" before a camera's name is optional: a make or a model is recognised alone. */
export const CAMERA_WORDS = new Set(['camera', 'appareil', 'kamera', 'shot', 'taken']);

/**
 * Words that carry no meaning once the rest is understood ("photos of Marie and Pierre at the beach" leaves
 * "beach"): left out of the text searched when something else was understood, or when only they remain.
 */
export const STOP_WORDS = new Set([
  'a',
  'an',
  'the',
  'of',
  'to',
  'and',
  'with',
  'at',
  'in',
  'on',
  'from',
  'by',
  'for',
  'my',
  'our',
  'me',
  'us',
  'all',
  'some',
  'show',
  'find',
  'taken',
  'during',
  'around',
  'le',
  'la',
  'les',
  'l',
  'un',
  'une',
  'des',
  'de',
  'du',
  'd',
  'et',
  'avec',
  'a',
  'au',
  'aux',
  'en',
  'dans',
  'sur',
  'pour',
  'mes',
  'nos',
  'ma',
  'mon',
  'pendant',
  'der',
  'die',
  'das',
  'den',
  'dem',
  'des',
  'ein',
  'eine',
  'einen',
  'und',
  'mit',
  'im',
  'in',
  'am',
  'an',
  'auf',
  'aus',
  'von',
  'vom',
  'zum',
  'zur',
  'meine',
  'unsere',
  'beim',
  'während',
]);
