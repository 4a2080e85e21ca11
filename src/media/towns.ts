// Towns by name, offline: their other names (Lissabon, Lisbonne, Lisboa for Lisbon; Munich for München), so a query
// names a place as the user writes it whatever name the photos carry, and a town typed to set home with where it is.
// GeoNames' towns over 15,000 people (CC BY 4.0), as scripts/towns.ts writes them into third_party/geonames/towns.tsv.gz
// (1.07 MB, 0.53 MB gzipped: 22.6k towns, 37k other names), one line per town, most populous first.
//
// Read once per process on first use (~0.2 s of CPU, +10 MB of heap, +22–31 MB RSS); a name's town is the most
// populous that has it, as its own name or another. A prefix is looked for among its 60k names in ~8 ms.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { packageRoot } from '../config/paths.js';

export const TOWNS_FILE = path.join(packageRoot, 'third_party', 'geonames', 'towns.tsv.gz');

export interface Town {
  /** GeoNames' own name of the town. */
  name: string;
  /** ISO 3166-1 alpha-2. */
  countryCode: string;
  latitude: number;
  longitude: number;
  /** The name the query matched, when it is another of the town's ("Lissabon" for Lisbon). */
  matched: string | null;
}

export interface Towns {
  /** The town's names (its own first) when `name` is one of them, else an empty list. */
  namesOf(name: string): string[];
  /** Towns with a name that starts with the text (folded), most populous first, a town once. */
  find(text: string, limit: number): Town[];
}

/** Folded words, as search matches them: "Köln" → "koln"; "Saint-Étienne" → "saint etienne". */
function key(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .join(' ');
}

/** The index over the file's text: each folded name to its line (the first, most populous, wins). Pure. */
export function indexTowns(text: string): Towns {
  const lines = text.split('\n').filter(Boolean);
  const lineOf = new Map<string, number>();
  lines.forEach((line, i) => {
    const fields = line.split('\t');
    for (const name of [fields[0]!, ...fields.slice(4)]) {
      const k = key(name);
      if (k && !lineOf.has(k)) lineOf.set(k, i);
    }
  });
  // the keys in line order, for prefixes: the first hits are the largest towns
  const keys = [...lineOf].sort((a, b) => a[1] - b[1]);
  const names = (i: number) => {
    const fields = lines[i]!.split('\t');
    return [fields[0]!, ...fields.slice(4)];
  };
  return {
    namesOf(name) {
      const i = lineOf.get(key(name));
      return i === undefined ? [] : names(i);
    },
    find(text, limit) {
      const wanted = key(text);
      const found: Town[] = [];
      if (wanted === '') return found;
      const seen = new Set<number>();
      for (const [k, i] of keys) {
        if (found.length >= limit) break;
        if (seen.has(i) || !k.startsWith(wanted)) continue;
        seen.add(i);
        const [name, countryCode, latitude, longitude, ...others] = lines[i]!.split('\t');
        const matched = key(name!).startsWith(wanted) ? null : (others.find((n) => key(n) === k) ?? null);
        found.push({ name: name!, countryCode: countryCode!, latitude: Number(latitude), longitude: Number(longitude), matched });
      }
      return found;
    },
  };
}

let loaded: Promise<Towns> | null = null;

export function towns(): Promise<Towns> {
  if (loaded === null) {
    loaded = readFile(TOWNS_FILE)
      .then((gzipped) => promisify(gunzip)(gzipped))
      .then((text) => indexTowns(text.toString('utf8')));
    // a failed read (a package without the file) is tried again by the next caller rather than kept
    loaded.catch(() => {
      loaded = null;
    });
  }
  return loaded;
}
