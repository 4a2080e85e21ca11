// Query understanding (src/search/understand): a table of queries in English, French and German with what each
// is understood to ask, for a fixed today (Thursday 26 November 2026) in Europe/Paris and a fixed library's names.
import { describe, expect, it } from 'vitest';
import { instant, todayIn } from '../../src/search/understand/calendar.js';
import { understand } from '../../src/search/understand/parse.js';
import type { Understood } from '../../src/search/understand/understood.js';
import { withUnderstood } from '../../src/search/understand/to-filters.js';
import { tokenize } from '../../src/search/understand/tokens.js';
import { buildVocabulary, closeTo } from '../../src/search/understand/vocabulary.js';
import { towns as readTowns } from '../../src/media/towns.js';

const vocabulary = buildVocabulary({
  people: [
    { id: 'marie', name: 'Marie Dupont', photos: 40 },
    { id: 'pierre', name: 'Pierre Martin', photos: 30 },
    { id: 'anna', name: 'Anna Schmidt', photos: 12 },
    { id: 'curie', name: 'Marie Curie', photos: 3 },
    { id: 'zoe', name: 'Zoë', photos: 5 },
    { id: 'jan', name: 'Jan Kowalski', photos: 7 },
    { id: 'jose', name: 'José García', photos: 8 },
    { id: 'sean', name: "Seán O'Brien", photos: 2 },
  ],
  places: [
    { name: 'Lisbon', photos: 30 },
    { name: 'Porto', photos: 12 },
    { name: 'Portugal', photos: 50 },
    { name: 'Paris', photos: 80 },
    { name: 'France', photos: 90 },
    { name: 'Germany', photos: 10 },
    { name: 'New York', photos: 9 },
    { name: 'São Paulo', photos: 4 },
    { name: 'Sydney', photos: 3 },
  ],
  albums: [
    { id: 'holidays', name: 'Holidays' },
    { id: 'wedding', name: 'Wedding 2019' },
    { id: 'trip', name: 'Summer trip' },
  ],
  cameras: [
    { label: 'Apple iPhone 12', photos: 100 },
    { label: 'Apple', photos: 120 },
    { label: 'Canon EOS 5D Mark IV', photos: 30 },
    { label: 'Canon', photos: 30 },
    { label: 'Google Pixel 7', photos: 10 },
    { label: 'Sony', photos: 4 },
  ],
});

const today = { year: 2026, month: 11, day: 26 };
const read = (q: string, southern = false) => understand(q, vocabulary, { today, timeZone: 'Europe/Paris', southern });

/** What a query was understood to ask, in short: only the keys that were set. */
function summary(u: Understood): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const neg = (negated: boolean) => (negated ? '!' : '');
  if (u.people.length) out.people = u.people.map((p) => neg(p.negated) + p.id).join(' ');
  if (u.peopleMatch === 'any') out.any = true;
  if (u.places.length) out.places = u.places.map((p) => neg(p.negated) + p.name).join(', ');
  if (u.home) out.home = `${neg(u.home.negated)}home`;
  if (u.dates.length) out.dates = u.dates.map((d) => `${neg(d.negated)}${d.from}..${d.to}`).join(' ');
  if (u.yearly.length) out.yearly = u.yearly.map((d) => `${d.from}..${d.to}`).join(' ');
  if (u.type) out.type = u.type;
  if (u.kind) out.kind = u.kind;
  if (u.camera) out.camera = u.camera;
  if (u.favorite !== null) out.favorite = u.favorite;
  if (u.minRating !== null) out.minRating = u.minRating;
  if (u.best) out.best = true;
  if (u.album) out.album = neg(u.album.negated) + u.album.id;
  if (u.inAlbum !== null) out.inAlbum = u.inAlbum;
  if (u.quoted.length) out.quoted = u.quoted.join('|');
  if (u.excludedWords.length) out.excluded = u.excludedWords.join('|');
  out.text = u.text;
  if (u.didYouMean.length) out.didYouMean = u.didYouMean.map((d) => `${d.text}:${d.options.map((o) => o.id).join('/')}`).join(' ');
  return out;
}

// [query, what it is understood to ask (text always given)]
const TABLE: [string, Record<string, unknown>][] = [
  // nothing understood: searched exactly as typed
  ['a dog on the beach', { text: 'a dog on the beach' }],
  ['sunset', { text: 'sunset' }],
  ['dog OR cat', { text: 'dog OR cat' }],
  ['-dog cat', { excluded: 'dog', text: '-dog cat' }],
  ['"happy birthday"', { quoted: 'happy birthday', text: '"happy birthday"' }],
  ['IMG_1234', { text: 'IMG_1234' }],
  ['the', { text: 'the' }],
  ['of the and', { text: 'of the and' }],
  ['album', { text: 'album' }],
  ['nice weather', { text: 'nice weather' }],
  // people
  ['Pierre', { people: 'pierre', text: '' }],
  ['pierre', { people: 'pierre', text: '' }],
  ['PIERRE MARTIN', { people: 'pierre', text: '' }],
  ['Martin', { people: 'pierre', text: '' }],
  ['Zoe', { people: 'zoe', text: '' }],
  ['zoë', { people: 'zoe', text: '' }],
  ['Jose', { people: 'jose', text: '' }],
  ['josé garcía', { people: 'jose', text: '' }],
  ['Garcia', { people: 'jose', text: '' }],
  ["Sean O'Brien", { people: 'sean', text: '' }],
  ["Anna's birthday", { people: 'anna', text: 'birthday' }],
  ['Anna’s birthday 2019', { people: 'anna', dates: '2019-01-01..2019-12-31', text: 'birthday' }],
  ["Pierre's car", { people: 'pierre', text: 'car' }],
  ['Marie', { people: 'marie', text: '', didYouMean: 'Marie:marie/curie' }],
  ['Marie Curie', { people: 'curie', text: '' }],
  ['marie dupont', { people: 'marie', text: '' }],
  ['Marie and Pierre', { people: 'marie pierre', text: '', didYouMean: 'Marie:marie/curie' }],
  ['Marie et Pierre', { people: 'marie pierre', text: '', didYouMean: 'Marie:marie/curie' }],
  ['Marie und Pierre', { people: 'marie pierre', text: '', didYouMean: 'Marie:marie/curie' }],
  ['Marie or Pierre', { people: 'marie pierre', any: true, text: '', didYouMean: 'Marie:marie/curie' }],
  ['Marie OR Pierre', { people: 'marie pierre', any: true, text: '', didYouMean: 'Marie:marie/curie' }],
  ['Anna ou Pierre', { people: 'anna pierre', any: true, text: '' }],
  ['Anna oder Pierre', { people: 'anna pierre', any: true, text: '' }],
  ['Anna with Pierre at the lake', { people: 'anna pierre', text: 'lake' }],
  ['Jan', { people: 'jan', text: '' }],
  ['Jan 2020', { people: 'jan', dates: '2020-01-01..2020-12-31', text: '' }],
  ['Piere', { text: 'Piere', didYouMean: 'Piere:pierre' }],
  ['Ana Schmidt', { people: 'anna', text: 'Ana' }],
  ['Anna without Pierre', { people: 'anna !pierre', text: '' }],
  ['Anna -Pierre', { people: 'anna !pierre', text: '' }],
  ['Anna sans Pierre', { people: 'anna !pierre', text: '' }],
  ['Anna ohne Pierre', { people: 'anna !pierre', text: '' }],
  ['Anna except Pierre', { people: 'anna !pierre', text: '' }],
  ['Anna not Pierre', { people: 'anna !pierre', text: '' }],
  ['photos of Anna', { people: 'anna', text: '' }],
  ['photos de Anna', { people: 'anna', text: '' }],
  ["photos d'Anna", { people: 'anna', text: '' }],
  ['Bilder von Anna', { people: 'anna', text: '' }],
  ['Fotos mit Anna und Pierre', { people: 'anna pierre', text: '' }],
  // places
  ['Lisbon', { places: 'Lisbon', text: '' }],
  ['lisbon', { places: 'Lisbon', text: '' }],
  ['in Porto', { places: 'Porto', text: '' }],
  ['Porto and Lisbon', { places: 'Porto, Lisbon', text: '' }],
  ['beach in Portugal', { places: 'Portugal', text: 'beach' }],
  ['New York', { places: 'New York', text: '' }],
  ['new york at night', { places: 'New York', text: 'night' }],
  ['Sao Paulo', { places: 'São Paulo', text: '' }],
  ['Allemagne', { places: 'Germany', text: '' }],
  ['Deutschland', { places: 'Germany', text: '' }],
  ['not in Paris', { places: '!Paris', text: '' }],
  ['France without Paris', { places: 'France, !Paris', text: '' }],
  ['Frankreich', { places: 'France', text: '' }], // the German name of a country the library has under its English name
  ['videos from Lisbon', { places: 'Lisbon', type: 'video', text: '' }],
  ['Paris Hilton', { places: 'Paris', text: 'Hilton' }],
  // dates: years, months, days
  ['2019', { dates: '2019-01-01..2019-12-31', text: '' }],
  ['in 2019', { dates: '2019-01-01..2019-12-31', text: '' }],
  ['2030', { text: '2030' }],
  ['1850', { dates: '1850-01-01..1850-12-31', text: '' }],
  ['1066', { text: '1066' }],
  ['march 2021', { dates: '2021-03-01..2021-03-31', text: '' }],
  ['March', { text: 'March' }], // a word as often as a month: a date with a year, a day or "in"
  ['in March', { yearly: '03-01..03-31', text: '' }],
  ['may', { text: 'may' }],
  ['spring flowers', { text: 'spring flowers' }],
  ['fall colours 2020', { dates: '2020-01-01..2020-12-31', text: 'fall colours' }],
  ['juillet', { yearly: '07-01..07-31', text: '' }],
  ['mars 2021', { dates: '2021-03-01..2021-03-31', text: '' }],
  ['März 2021', { dates: '2021-03-01..2021-03-31', text: '' }],
  ['août 2024', { dates: '2024-08-01..2024-08-31', text: '' }],
  ['Dezember 2020', { dates: '2020-12-01..2020-12-31', text: '' }],
  ['sept 2022', { dates: '2022-09-01..2022-09-30', text: '' }],
  ['february 2024', { dates: '2024-02-01..2024-02-29', text: '' }],
  ['1 may 2024', { dates: '2024-05-01..2024-05-01', text: '' }],
  ['may 1 2024', { dates: '2024-05-01..2024-05-01', text: '' }],
  ['May 1st 2024', { dates: '2024-05-01..2024-05-01', text: '' }],
  ['1er mai 2024', { dates: '2024-05-01..2024-05-01', text: '' }],
  ['3. Oktober 2020', { dates: '2020-10-03..2020-10-03', text: '' }],
  ['31 february 2024', { dates: '2024-02-01..2024-02-29', text: '31' }], // no such day: the month, and the number as a word
  ['14 july', { yearly: '07-14..07-14', text: '' }],
  ['2024-05-01', { dates: '2024-05-01..2024-05-01', text: '' }],
  ['2024-05', { dates: '2024-05-01..2024-05-31', text: '' }],
  ['2024-13-01', { text: '2024-13-01' }],
  // relative dates
  ['today', { dates: '2026-11-26..2026-11-26', text: '' }],
  ['yesterday', { dates: '2026-11-25..2026-11-25', text: '' }],
  ['hier', { dates: '2026-11-25..2026-11-25', text: '' }],
  ["aujourd'hui", { dates: '2026-11-26..2026-11-26', text: '' }],
  ['gestern', { dates: '2026-11-25..2026-11-25', text: '' }],
  ['heute', { dates: '2026-11-26..2026-11-26', text: '' }],
  ['vorgestern', { dates: '2026-11-24..2026-11-24', text: '' }],
  ['this week', { dates: '2026-11-23..2026-11-29', text: '' }],
  ['last week', { dates: '2026-11-16..2026-11-22', text: '' }],
  ['this weekend', { dates: '2026-11-28..2026-11-29', text: '' }],
  ['last weekend', { dates: '2026-11-21..2026-11-22', text: '' }],
  ['ce week-end', { dates: '2026-11-28..2026-11-29', text: '' }],
  ['letztes Wochenende', { dates: '2026-11-21..2026-11-22', text: '' }],
  ['this month', { dates: '2026-11-01..2026-11-30', text: '' }],
  ['last month', { dates: '2026-10-01..2026-10-31', text: '' }],
  ['le mois dernier', { dates: '2026-10-01..2026-10-31', text: '' }],
  ['letzten Monat', { dates: '2026-10-01..2026-10-31', text: '' }],
  ['this year', { dates: '2026-01-01..2026-12-31', text: '' }],
  ['last year', { dates: '2025-01-01..2025-12-31', text: '' }],
  ["l'année dernière", { dates: '2025-01-01..2025-12-31', text: '' }],
  ['cette année', { dates: '2026-01-01..2026-12-31', text: '' }],
  ['letztes Jahr', { dates: '2025-01-01..2025-12-31', text: '' }],
  ['dieses Jahr', { dates: '2026-01-01..2026-12-31', text: '' }],
  ['3 years ago', { dates: '2023-01-01..2023-12-31', text: '' }],
  ['il y a 3 ans', { dates: '2023-01-01..2023-12-31', text: '' }],
  ['vor 3 Jahren', { dates: '2023-01-01..2023-12-31', text: '' }],
  ['2 months ago', { dates: '2026-09-01..2026-09-30', text: '' }],
  ['10 days ago', { dates: '2026-11-16..2026-11-16', text: '' }],
  ['last 30 days', { dates: '2026-10-28..2026-11-26', text: '' }],
  ['the last 2 weeks', { dates: '2026-11-13..2026-11-26', text: '' }],
  ['last 6 months', { dates: '2026-05-26..2026-11-26', text: '' }],
  // seasons: north by default, south when asked
  ['last summer', { dates: '2026-06-01..2026-08-31', text: '' }],
  ['this summer', { dates: '2026-06-01..2026-08-31', text: '' }],
  ['next summer', { dates: '2027-06-01..2027-08-31', text: '' }],
  ['last winter', { dates: '2025-12-01..2026-02-28', text: '' }],
  ['this winter', { dates: '2026-12-01..2027-02-28', text: '' }],
  ['last autumn', { dates: '2025-09-01..2025-11-30', text: '' }],
  ['this fall', { dates: '2026-09-01..2026-11-30', text: '' }],
  ['last spring', { dates: '2026-03-01..2026-05-31', text: '' }],
  ['summer 2023', { dates: '2023-06-01..2023-08-31', text: '' }],
  ['winter 2022', { dates: '2022-12-01..2023-02-28', text: '' }],
  ['summer', { yearly: '06-01..08-31', text: '' }],
  ['été 2023', { dates: '2023-06-01..2023-08-31', text: '' }],
  ["l'été dernier", { dates: '2026-06-01..2026-08-31', text: '' }],
  ['hiver dernier', { dates: '2025-12-01..2026-02-28', text: '' }],
  ['letzten Sommer', { dates: '2026-06-01..2026-08-31', text: '' }],
  ['Sommer 2020', { dates: '2020-06-01..2020-08-31', text: '' }],
  ['Frühling 2021', { dates: '2021-03-01..2021-05-31', text: '' }],
  // holidays
  ['christmas', { yearly: '12-24..12-26', text: '' }],
  ['christmas 2022', { dates: '2022-12-24..2022-12-26', text: '' }],
  ['Noël 2022', { dates: '2022-12-24..2022-12-26', text: '' }],
  ['Weihnachten 2021', { dates: '2021-12-24..2021-12-26', text: '' }],
  ['christmas eve 2020', { dates: '2020-12-24..2020-12-24', text: '' }],
  ['new year 2023', { dates: '2022-12-31..2023-01-01', text: '' }],
  ["new year's eve", { yearly: '12-31..12-31', text: '' }],
  ['halloween', { yearly: '10-31..10-31', text: '' }],
  ['Silvester 2019', { dates: '2019-12-31..2019-12-31', text: '' }],
  ['nouvel an', { yearly: '12-31..01-01', text: '' }],
  // ranges
  ['from 2018 to 2020', { dates: '2018-01-01..2020-12-31', text: '' }],
  ['between 2018 and 2020', { dates: '2018-01-01..2020-12-31', text: '' }],
  ['2018-2020', { dates: '2018-01-01..2020-12-31', text: '' }],
  ['2018 - 2020', { dates: '2018-01-01..2020-12-31', text: '' }],
  ['de 2018 à 2020', { dates: '2018-01-01..2020-12-31', text: '' }],
  ['entre 2018 et 2020', { dates: '2018-01-01..2020-12-31', text: '' }],
  ['von 2018 bis 2020', { dates: '2018-01-01..2020-12-31', text: '' }],
  ['zwischen 2018 und 2020', { dates: '2018-01-01..2020-12-31', text: '' }],
  ['since march 2024', { dates: '2024-03-01..2026-11-26', text: '' }],
  ['depuis 2025', { dates: '2025-01-01..2026-11-26', text: '' }],
  ['seit 2025', { dates: '2025-01-01..2026-11-26', text: '' }],
  ['before 2015', { dates: '1826-01-01..2014-12-31', text: '' }],
  ['avant 2015', { dates: '1826-01-01..2014-12-31', text: '' }],
  ['after 2024', { dates: '2025-01-01..2026-11-26', text: '' }],
  ['may 2020 to june 2021', { dates: '2020-05-01..2021-06-30', text: '' }],
  ['2020 to 2018', { dates: '2020-01-01..2020-12-31 2018-01-01..2018-12-31', text: '' }], // backwards: either year
  ['not 2020', { dates: '!2020-01-01..2020-12-31', text: '' }],
  ['beach -2019', { dates: '!2019-01-01..2019-12-31', text: 'beach' }],
  ['not christmas', { excluded: 'christmas', text: 'not christmas' }],
  ['Anna not christmas', { people: 'anna', excluded: 'christmas', text: '-christmas' }],
  ['Anna not 4 stars', { people: 'anna', excluded: '4', text: 'stars -4' }],
  ['Anna not iphone', { people: 'anna', excluded: 'iphone', text: '-iphone' }],
  ['not album Holidays', { album: '!holidays', text: '' }],
  // kinds, favourites, ratings, best, cameras
  ['videos', { type: 'video', text: '' }],
  ['clips of Zoë', { people: 'zoe', type: 'video', text: '' }],
  ['not videos', { type: 'photo', text: '' }],
  ['only photos', { type: 'photo', text: '' }],
  ['photos', { text: 'photos' }],
  ['screenshots', { kind: 'screenshot', text: '' }],
  ['screenshots from last week', { kind: 'screenshot', dates: '2026-11-16..2026-11-22', text: '' }],
  ['selfies with Zoë', { kind: 'selfie', people: 'zoe', text: '' }],
  ['Videos aus Lissabon', { type: 'video', text: 'Lissabon' }],
  ['favorites', { favorite: true, text: '' }],
  ['favourites from 2020', { favorite: true, dates: '2020-01-01..2020-12-31', text: '' }],
  ['not favourites', { favorite: false, text: '' }],
  ['mes favoris', { favorite: true, text: '' }],
  ['Favoriten', { favorite: true, text: '' }],
  ['4 stars', { minRating: 4, text: '' }],
  ['5-star sunsets', { minRating: 5, text: 'sunsets' }],
  ['★★★', { minRating: 3, text: '' }],
  ['rated 5', { minRating: 5, text: '' }],
  ['3 étoiles', { minRating: 3, text: '' }],
  ['4 Sterne', { minRating: 4, text: '' }],
  ['best photos of the dog this year', { best: true, dates: '2026-01-01..2026-12-31', text: 'dog' }],
  ['meilleures photos de Marie', { best: true, people: 'marie', text: '', didYouMean: 'Marie:marie/curie' }],
  ['die besten Bilder von Anna', { best: true, people: 'anna', text: '' }],
  ['iPhone 12', { camera: 'Apple iPhone 12', text: '' }],
  ['shot on iphone 12', { camera: 'Apple iPhone 12', text: '' }],
  ['Canon', { camera: 'Canon', text: '' }],
  ['Pixel 7 night', { camera: 'Google Pixel 7', text: 'night' }],
  ['apple', { text: 'apple' }],
  ['camera apple', { camera: 'Apple', text: '' }],
  ['sony 2021', { camera: 'Sony', dates: '2021-01-01..2021-12-31', text: '' }],
  // albums
  ['Holidays album', { album: 'holidays', text: '' }],
  ['album Holidays 2024', { album: 'holidays', dates: '2024-01-01..2024-12-31', text: '' }],
  ['Holidays', { text: 'Holidays' }],
  ['album Summer trip', { album: 'trip', text: '' }],
  ['sunsets not in any album', { inAlbum: false, text: 'sunsets' }],
  ['in an album', { inAlbum: true, text: '' }],
  ['in no album', { inAlbum: false, text: '' }],
  ['sans album', { inAlbum: false, text: '' }],
  ['nicht im Album', { inAlbum: false, text: '' }],
  // quoted words and exclusions
  ['the receipt that says "invoice"', { quoted: 'invoice', text: 'the receipt that says "invoice"' }],
  ['receipt "invoice" from March', { quoted: 'invoice', yearly: '03-01..03-31', text: 'receipt "invoice"' }],
  ['"KIRIN" in Paris', { quoted: 'KIRIN', places: 'Paris', text: '"KIRIN"' }],
  ['Anna -dog', { people: 'anna', excluded: 'dog', text: '-dog' }],
  ['Anna without dog', { people: 'anna', excluded: 'dog', text: '-dog' }],
  ['cake -"happy birthday" 2020', { dates: '2020-01-01..2020-12-31', excluded: '"happy birthday"', text: 'cake -"happy birthday"' }],
  // the whole sentence
  [
    'Marie and Pierre at the beach in Portugal last summer',
    { people: 'marie pierre', places: 'Portugal', dates: '2026-06-01..2026-08-31', text: 'beach', didYouMean: 'Marie:marie/curie' },
  ],
  ["Anna's birthday 2019", { people: 'anna', dates: '2019-01-01..2019-12-31', text: 'birthday' }],
  ['videos from Lisbon in 2024', { type: 'video', places: 'Lisbon', dates: '2024-01-01..2024-12-31', text: '' }],
  ['photos de Pierre à Paris en été 2023', { people: 'pierre', places: 'Paris', dates: '2023-06-01..2023-08-31', text: '' }],
  ['Urlaub in Deutschland letzten Sommer', { places: 'Germany', dates: '2026-06-01..2026-08-31', text: 'Urlaub' }],
  ['Zoë christmas 2022 without Jan', { people: 'zoe !jan', dates: '2022-12-24..2022-12-26', text: '' }],
  ['best videos of Anna in Porto', { best: true, type: 'video', people: 'anna', places: 'Porto', text: '' }],
];

describe('query understanding', () => {
  it(`reads ${TABLE.length} queries as expected`, () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(150);
    const wrong: string[] = [];
    for (const [query, expected] of TABLE) {
      const got = summary(read(query));
      try {
        expect(got).toEqual(expected);
      } catch {
        wrong.push(`${query}\n   expected ${JSON.stringify(expected)}\n   got      ${JSON.stringify(got)}`);
      }
    }
    expect(wrong.join('\n')).toBe('');
  });

  it('reads home in three languages when the home is known, and leaves the word alone when it is not', () => {
    const known = (q: string) => summary(understand(q, vocabulary, { today: { year: 2026, month: 11, day: 26 }, timeZone: 'Europe/Paris', home: true }));
    expect(known('photos at home')).toEqual({ home: 'home', text: '' });
    expect(known('Anna at home last summer')).toEqual({ people: 'anna', home: 'home', dates: '2026-06-01..2026-08-31', text: '' });
    expect(known('not at home 2024')).toEqual({ home: '!home', dates: '2024-01-01..2024-12-31', text: '' });
    expect(known('photos à la maison')).toEqual({ home: 'home', text: '' });
    expect(known('Pierre chez moi')).toEqual({ people: 'pierre', home: 'home', text: '' });
    expect(known('Weihnachten zu Hause')).toEqual({ yearly: '12-24..12-26', home: 'home', text: '' });
    expect(known('daheim')).toEqual({ home: 'home', text: '' });
    // no home known: a word searched like any other
    expect(summary(read('home office'))).toEqual({ text: 'home office' });
  });

  it('reads "away from home" as away from home, in three languages, and names it once on its chip', () => {
    const context = { today: { year: 2026, month: 11, day: 26 }, timeZone: 'Europe/Paris', home: true };
    const known = (q: string) => summary(understand(q, vocabulary, context));
    // before: "away from home" was at home plus the word "away"
    expect(known('away from home')).toEqual({ home: '!home', text: '' });
    expect(known('Anna away from home 2024')).toEqual({ people: 'anna', home: '!home', dates: '2024-01-01..2024-12-31', text: '' });
    expect(known('photos loin de la maison')).toEqual({ home: '!home', text: '' });
    expect(known('loin de chez moi')).toEqual({ home: '!home', text: '' });
    expect(known('weg von zu Hause')).toEqual({ home: '!home', text: '' });
    expect(known('not away from home')).toEqual({ home: 'home', text: '' });
    // the chip says the negation once: the web app puts "not " before a negated chip unless its label says it
    const chip = (q: string) => understand(q, vocabulary, context).parts.map((p) => ({ label: p.label, negated: p.negated, text: q.slice(p.start, p.end) }));
    expect(chip('not at home')).toEqual([{ label: 'not at home', negated: true, text: 'not at home' }]);
    expect(chip('away from home')).toEqual([{ label: 'not at home', negated: true, text: 'away from home' }]);
    expect(chip('not away from home')).toEqual([{ label: 'home', negated: false, text: 'not away from home' }]);
    // the same slip beside it: "not photos" (videos only) showed the chip "not videos"
    expect(chip('not photos')).toEqual([{ label: 'no photos', negated: true, text: 'not photos' }]);
  });

  it("names a town by its other names, from the gazetteer's, and a country in three languages, where they name nothing else in the library", async () => {
    const towns = await readTowns();
    const places = [
      { name: 'Lisbon', photos: 30 },
      // as a phone writes it in the file, and a French town of a name that is Vienna's in French
      { name: 'Köln', photos: 6 },
      { name: 'Munich', photos: 5 },
      { name: 'Vienna', photos: 4 },
      { name: 'Vienne', photos: 2 },
      // countries beyond the hand-written list, and one named in German by the file
      { name: 'Czechia', photos: 3 },
      { name: 'Deutschland', photos: 2 },
    ].map((p) => ({ ...p, aliases: towns.namesOf(p.name) }));
    const withTowns = buildVocabulary({ people: [], places, albums: [], cameras: [] });
    const read = (q: string) => summary(understand(q, withTowns, { today: { year: 2026, month: 11, day: 26 }, timeZone: 'Europe/Paris' }));
    // before: each was a word searched, not the place
    expect(read('Lissabon')).toEqual({ places: 'Lisbon', text: '' });
    expect(read('photos à Lisbonne en 2024')).toEqual({ places: 'Lisbon', dates: '2024-01-01..2024-12-31', text: '' });
    expect(read('Lisboa')).toEqual({ places: 'Lisbon', text: '' });
    expect(read('Cologne')).toEqual({ places: 'Köln', text: '' });
    expect(read('Koeln')).toEqual({ places: 'Köln', text: '' });
    expect(read('München')).toEqual({ places: 'Munich', text: '' });
    expect(read('Wien')).toEqual({ places: 'Vienna', text: '' });
    // a place of the library's own keeps its name: Vienne is the French town here, not Vienna
    expect(read('Vienne')).toEqual({ places: 'Vienne', text: '' });
    // a town not in the library is a word, whatever its names
    expect(read('Roma')).toEqual({ text: 'Roma' });
    // a country by its name in any of the three languages (before: only those of a hand-written list, one way)
    expect(read('Tschechien')).toEqual({ places: 'Czechia', text: '' });
    expect(read('Tchéquie 2024')).toEqual({ places: 'Czechia', dates: '2024-01-01..2024-12-31', text: '' });
    expect(read('Germany')).toEqual({ places: 'Deutschland', text: '' });
    expect(read('Allemagne')).toEqual({ places: 'Deutschland', text: '' });
  });

  it('counts weekends from a Sunday too', () => {
    const sunday = (q: string) => summary(understand(q, vocabulary, { today: { year: 2026, month: 11, day: 29 }, timeZone: 'Europe/Paris' }));
    expect(sunday('this weekend')).toEqual({ dates: '2026-11-28..2026-11-29', text: '' });
    expect(sunday('last weekend')).toEqual({ dates: '2026-11-21..2026-11-22', text: '' });
    const saturday = (q: string) => summary(understand(q, vocabulary, { today: { year: 2026, month: 11, day: 28 }, timeZone: 'Europe/Paris' }));
    expect(saturday('this weekend')).toEqual({ dates: '2026-11-28..2026-11-29', text: '' });
    expect(saturday('next weekend')).toEqual({ dates: '2026-12-05..2026-12-06', text: '' });
  });

  it('turns seasons round south of the equator', () => {
    expect(summary(read('Sydney last summer', true))).toEqual({ places: 'Sydney', dates: '2025-12-01..2026-02-28', text: '' });
    expect(summary(read('São Paulo winter 2024', true))).toEqual({ places: 'São Paulo', dates: '2024-06-01..2024-08-31', text: '' });
    expect(summary(read('summer', true))).toEqual({ yearly: '12-01..02-29', text: '' });
  });

  it('says where each part is in the query, so that a chip taken out takes its words out', () => {
    const q = 'Marie and Pierre at the beach in Portugal not in 2020';
    const parts = read(q).parts.map((p) => ({ kind: p.kind, text: q.slice(p.start, p.end), negated: p.negated }));
    expect(parts).toEqual([
      { kind: 'person', text: 'Marie', negated: false },
      { kind: 'person', text: 'and Pierre', negated: false },
      { kind: 'place', text: 'in Portugal', negated: false },
      { kind: 'date', text: 'not in 2020', negated: true },
    ]);
  });

  it('takes out with a chip its minus, its quotes, its possessive and the word album', () => {
    const spans = (q: string) => read(q).parts.map((p) => q.slice(p.start, p.end));
    expect(spans('cake -"happy birthday" 2020')).toEqual(['-"happy birthday"', '2020']);
    expect(spans("Anna's birthday")).toEqual(["Anna's"]);
    expect(spans('sunsets album Holidays')).toEqual(['album Holidays']);
    expect(spans('Anna -Pierre')).toEqual(['Anna', '-Pierre']);
    expect(spans("photos d'aujourd'hui")).toEqual(["aujourd'hui"]);
  });

  it('makes filters of what it understood; explicit filters win', () => {
    const u = read('Marie and Pierre in Portugal last summer videos 4 stars');
    const filters = withUnderstood({}, u, 'Europe/Paris');
    expect(filters.people).toEqual(['marie', 'pierre']);
    expect(filters.peopleMatch).toBe('all');
    expect(filters.places).toEqual(['Portugal']);
    expect(filters.dateRanges).toEqual([{ from: new Date('2026-05-31T22:00:00.000Z'), to: new Date('2026-08-31T21:59:59.999Z') }]);
    expect(filters.type).toBe('video');
    expect(filters.minRating).toBe(4);
    const explicit = withUnderstood({ people: ['anna'], from: new Date('2000-01-01'), type: 'photo' }, u, 'Europe/Paris');
    expect(explicit.people).toEqual(['anna']);
    expect(explicit.dateRanges).toBeUndefined();
    expect(explicit.type).toBe('photo');
    const yearly = withUnderstood({}, read('christmas'), 'America/New_York');
    expect(yearly.yearly).toEqual({ days: [{ from: '12-24', to: '12-26' }], timeZone: 'America/New_York' });
  });

  it('counts days in the user’s zone, across a change of clocks', () => {
    expect(instant({ year: 2026, month: 3, day: 29 }, 'Europe/Paris').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(instant({ year: 2026, month: 3, day: 30 }, 'Europe/Paris').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(instant({ year: 2026, month: 1, day: 1 }, 'Pacific/Auckland').toISOString()).toBe('2025-12-31T11:00:00.000Z');
    // Santiago's clocks jump from 00:00 to 01:00 on 6 September 2026: the day starts at 01:00 (-03:00)
    expect(instant({ year: 2026, month: 9, day: 6 }, 'America/Santiago').toISOString()).toBe('2026-09-06T04:00:00.000Z');
    expect(todayIn('Pacific/Kiritimati', new Date('2026-11-26T23:00:00Z'))).toEqual({ year: 2026, month: 11, day: 27 });
    expect(() => todayIn('Mars/Olympus_Mons')).toThrow(RangeError);
  });

  it('takes hostile text in bounded time: long, only stop words, NUL, right to left, emoji', () => {
    const long = 'Marie and Pierre at the beach in Portugal last summer '.repeat(200);
    const started = performance.now();
    const u = read(long);
    expect(performance.now() - started).toBeLessThan(200);
    expect(u.people.map((p) => p.id)).toEqual(['marie', 'pierre']);
    expect(read('\u0000Anna\u0000').people.map((p) => p.id)).toEqual(['anna']);
    expect(summary(read('בית ים'))).toEqual({ text: 'בית ים' });
    expect(summary(read('🐶 Anna 🏖️'))).toEqual({ people: 'anna', text: '' });
    expect(summary(read('"'))).toEqual({ text: '"' });
    expect(tokenize('-"a" "b').map((t) => [t.text, t.excluded, t.quoted])).toEqual([
      ['a', true, true],
      ['b', false, true],
    ]);
  });

  it('finds names one slip away (for "did you mean"), not two', () => {
    expect(closeTo('piere', 'pierre', 1)).toBe(true);
    expect(closeTo('pirere', 'pierre', 1)).toBe(true);
    expect(closeTo('pxerx', 'pierre', 1)).toBe(false);
  });
});
