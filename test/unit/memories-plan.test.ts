// What makes a memory, on fixed inputs: trips as runs of days away, their names, month ranges, bursts folded.
import { describe, expect, it } from 'vitest';
import {
  findTrips,
  foldAndRank,
  learnHome,
  monthRange,
  placeNames,
  tripPlaces,
  tripTitle,
  yearsAgo,
  type PlaceDay,
  type TripPlace,
} from '../../src/library/memories/plan.js';

const place = (
  name: string,
  latitude: number,
  longitude: number,
  count = 1,
  first = 0,
  state: string | null = null,
  countryCode: string | null = 'PT',
): TripPlace => ({
  name,
  state,
  countryCode,
  latitude,
  longitude,
  count,
  first,
});
const day = (d: string, geotagged: number, away: number, places: TripPlace[] = []): PlaceDay => ({ day: d, geotagged, away, places });

describe('findTrips', () => {
  it('joins days away, across a day without positions, and ends at a day at home', () => {
    const trips = findTrips([
      day('2024-05-01', 5, 0),
      day('2024-05-03', 2, 2, [place('Porto', 41.15, -8.61, 2, 10)]),
      // 05-04: no geotagged item
      day('2024-05-05', 3, 3, [place('Lisbon', 38.72, -9.14, 3, 20)]),
      day('2024-05-06', 4, 3, [place('Lisbon', 38.72, -9.14, 3, 30)]),
      day('2024-05-08', 3, 0),
      day('2024-07-01', 2, 2, [place('Madrid', 40.4, -3.7, 2, 40)]), // one day: not a trip
      day('2024-08-01', 2, 2),
      day('2024-08-04', 2, 2), // two days apart from the last away day: a new trip of one day
    ]);
    expect(trips.map((t) => [t.from, t.to])).toEqual([['2024-05-03', '2024-05-06']]);
    expect(trips[0]!.places.map((p) => [p.name, p.count])).toEqual([
      ['Porto', 2],
      ['Lisbon', 6],
    ]);
  });

  it('counts a day as away when most of its items are', () => {
    expect(findTrips([day('2024-01-01', 4, 2), day('2024-01-02', 4, 2)])).toEqual([]);
    expect(findTrips([day('2024-01-01', 4, 3), day('2024-01-02', 3, 2)])).toHaveLength(1);
  });
});

describe('names', () => {
  it('says months and ranges as a person does', () => {
    expect(monthRange('2024-05-03', '2024-05-06')).toBe('May 2024');
    expect(monthRange('2024-05-30', '2024-06-02')).toBe('May–June 2024');
    expect(monthRange('2023-12-28', '2024-01-03')).toBe('December 2023 – January 2024');
    expect(yearsAgo(2025, 2026)).toBe('1 year ago');
    expect(yearsAgo(2019, 2026)).toBe('7 years ago');
  });

  it('names the most visited places in the order visited', () => {
    expect(placeNames([])).toBeNull();
    expect(
      placeNames([
        { name: 'Lisbon', count: 9, first: 20 },
        { name: 'Porto', count: 3, first: 10 },
      ]),
    ).toBe('Porto and Lisbon');
    const four = [
      { name: 'Sintra', count: 1, first: 40 },
      { name: 'Lisbon', count: 9, first: 20 },
      { name: 'Porto', count: 3, first: 10 },
      { name: 'Faro', count: 5, first: 30 },
    ];
    expect(placeNames(four)).toBe('Porto, Lisbon and Faro');
  });

  it("calls a city's districts after the region named after the city, and other places after themselves", () => {
    const towns: Record<string, { latitude: number; longitude: number }> = {
      'Lisbon|PT': { latitude: 38.7167, longitude: -9.1333 },
      'Porto|PT': { latitude: 41.1496, longitude: -8.611 },
    };
    const regionTown = (state: string, code: string) => towns[`${state}|${code}`] ?? null;
    const places = [
      place('Intendente', 38.7223, -9.1393, 2, 20, 'Lisbon'),
      place('São Jorge de Arroios', 38.7243, -9.1423, 2, 30, 'Lisbon'),
      place('Senhora do Porto', 41.1579, -8.6291, 2, 10, 'Porto'),
      place('Amarante', 41.27, -8.08, 1, 40, 'Porto'), // 45 km out: its own name
      place('Évora', 38.57, -7.91, 1, 50, 'Évora'),
    ];
    expect(tripPlaces(places, regionTown).map((p) => [p.name, p.count, p.first])).toEqual([
      ['Porto', 2, 10],
      ['Lisbon', 4, 20],
      ['Amarante', 1, 40],
      ['Évora', 1, 50],
    ]);
    expect(tripTitle({ from: '2024-05-03', to: '2024-05-09', places }, regionTown)).toBe('Porto, Lisbon and Amarante, May 2024');
    expect(tripTitle({ from: '2024-05-03', to: '2024-05-04', places: [] }, regionTown)).toBe('A trip, May 2024');
  });
});

describe('foldAndRank', () => {
  it('keeps the best of a burst and puts favourites and stars first', () => {
    const item = (id: string, taken: number, extra: { favorite?: boolean; rating?: number; shot?: number } = {}) => ({
      id,
      taken,
      favorite: extra.favorite ?? false,
      rating: extra.rating ?? null,
      shot: extra.shot ?? 0.5,
    });
    const ranked = foldAndRank([
      item('b1', 100),
      item('b2', 101, { shot: 0.9 }),
      item('b3', 102),
      item('b4', 104),
      item('later', 500, { rating: 4 }),
      item('fav', 900, { favorite: true }),
    ]);
    expect(ranked.map((i) => i.id)).toEqual(['fav', 'later', 'b2']);
  });

  it('learns home where items are taken on the most days, so that a trip of many photos does not become home', () => {
    expect(learnHome([])).toBeNull();
    expect(
      learnHome([
        { latitude: 1, longitude: 2, count: 3, days: 3 },
        { latitude: 45.7, longitude: 4.8, count: 40, days: 20 },
      ]),
    ).toEqual({ latitude: 45.7, longitude: 4.8 });
    // a week in Lisbon with 400 photos against 60 photos at home over 45 days: home stays home
    const lisbon = { latitude: 38.72, longitude: -9.14, count: 400, days: 7 };
    const lyon = { latitude: 45.76, longitude: 4.84, count: 60, days: 45 };
    expect(learnHome([lisbon, lyon])).toEqual({ latitude: 45.76, longitude: 4.84 });
    // as many days: the one with more items
    expect(learnHome([{ ...lyon, days: 7 }, lisbon])).toEqual({ latitude: 38.72, longitude: -9.14 });
  });
});
