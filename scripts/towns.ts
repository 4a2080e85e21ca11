// Writes third_party/geonames/towns.tsv.gz (gzipped: the repository keeps no file over 1 MB): the towns over 15,000 people, where they are, and the other names search
// understands ("Lissabon", "Lisbonne", "Lisboa" for Lisbon), from a GeoNames `cities15000.txt` dump (CC BY 4.0):
//   node --import tsx scripts/towns.ts path/to/cities15000.txt
// The dump's alternate names carry no language, so the names kept are those a person types in a Latin script:
// capitalised, no digits, not an airport code, of 4 letters or more, not "<name> - <name>" nor "city of <name>"; a
// name that is a country's (in English, French or German) or a larger town's own name stays with that. One line per
// town, most populous first, tab-separated: its GeoNames name, country code, latitude, longitude (4 decimals: 11 m),
// then its other names.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .join(' ');

/** A name as people write it in a Latin script: not a transliteration in lower case, a code or a number. */
export function typedName(name: string): boolean {
  if (!/^\p{Lu}/u.test(name) || /\p{N}/u.test(name) || name === name.toUpperCase()) return false;
  if (!/^[\p{Script=Latin}\p{M}' .-]+$/u.test(name) || name.includes(' - ')) return false;
  // "city of …" in Tagalog and Swahili, as GeoNames lists them for large towns
  if (/^(Lungsod ng|Mji wa) /.test(name)) return false;
  return fold(name).replace(/ /g, '').length >= 4;
}

function countryNames(): Set<string> {
  const names = new Set<string>();
  const displays = ['en', 'fr', 'de'].map((l) => new Intl.DisplayNames([l], { type: 'region', fallback: 'none' }));
  for (let a = 65; a <= 90; a++)
    for (let b = 65; b <= 90; b++)
      for (const display of displays) {
        const name = display.of(String.fromCharCode(a, b));
        if (name) names.add(fold(name));
      }
  return names;
}

function main(source: string): void {
  const towns = readFileSync(source, 'utf8')
    .split('\n')
    .map((line) => line.split('\t'))
    .filter((f) => f.length > 14 && f[1])
    .map((f) => ({
      name: f[1]!,
      ascii: f[2]!,
      alternates: f[3]!.split(','),
      lat: Number(f[4]),
      lng: Number(f[5]),
      country: f[8]!,
      population: Number(f[14]) || 0,
    }))
    .sort((a, b) => b.population - a.population);
  const countries = countryNames();
  // a town's own name belongs to the most populous town of that name
  const ownName = new Map<string, number>();
  towns.forEach((t, i) => {
    for (const n of [t.name, t.ascii]) if (!ownName.has(fold(n))) ownName.set(fold(n), i);
  });
  const taken = new Set<string>();
  const lines: string[] = [];
  towns.forEach((t, i) => {
    const names = [t.name];
    const seen = new Set([fold(t.name)]);
    for (const n of [t.ascii, ...t.alternates]) {
      const key = fold(n);
      if (seen.has(key) || !typedName(n) || countries.has(key)) continue;
      // another town's own name, when that town is the larger ("Vienne" for Vienna, "Rome" for Roma: not Rome, Georgia)
      const owner = ownName.get(key);
      if ((owner !== undefined && owner < i) || taken.has(key)) continue;
      seen.add(key);
      names.push(n.trim());
    }
    for (const n of names) taken.add(fold(n));
    const [own, ...others] = names;
    lines.push([own, t.country, t.lat.toFixed(4), t.lng.toFixed(4), ...others].join('\t'));
  });
  const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'third_party', 'geonames', 'towns.tsv.gz');
  writeFileSync(out, gzipSync(lines.join('\n') + '\n', { level: 9 }));
  console.log(`${lines.length} towns, ${lines.reduce((s, l) => s + l.split('\t').length - 4, 0)} other names → ${out}`);
}

if (process.argv[2]) main(process.argv[2]);
