// What makes a memory, pure: home learned from where items are taken on the most days, trips as runs of days away from it,
// titles in words, near-copies folded and the best shots first.

export const MEMORY_KINDS = ['on-this-day', 'trip', 'person-years'] as const;
export type MemoryKind = (typeof MEMORY_KINDS)[number];

/** Farther than this from home, a day's items are away. */
export const AWAY_KM = 100;
/** Items of one moment: taken this close together, only the best is kept (a burst that is not stacked). */
export const BURST_SECONDS = 3;

export interface Position {
  latitude: number;
  longitude: number;
}

/** Geotagged items per area of about 50 km (a half-degree cell), and on how many days: the candidates for home. */
export interface AreaCount extends Position {
  count: number;
  days: number;
}

/**
 * Home: the area where geotagged items were taken on the most days, then the most items (its items' mean
 * position); none without any. Days, not items: a week's trip of 400 photos is not home against 60 over 45 days.
 */
export function learnHome(areas: readonly AreaCount[]): Position | null {
  let best: AreaCount | null = null;
  for (const area of areas) if (!best || area.days > best.days || (area.days === best.days && area.count > best.count)) best = area;
  return best ? { latitude: best.latitude, longitude: best.longitude } : null;
}

/** A place items were taken at away from home: its name as the photos have it, how many, when first, where. */
export interface TripPlace extends Position {
  name: string;
  state: string | null;
  countryCode: string | null;
  count: number;
  /** Seconds (the camera's clock) of its first item. */
  first: number;
}

/** One day (the camera's clock) of geotagged items: how many, how many away from home, and where. */
export interface PlaceDay {
  /** YYYY-MM-DD */
  day: string;
  geotagged: number;
  away: number;
  places: TripPlace[];
}

export interface Trip {
  from: string;
  to: string;
  places: TripPlace[];
}

/** Places this close to the most photographed one are one place in a trip's name (a city and its districts). */
export const SAME_PLACE_KM = 30;

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

/**
 * Runs of days away from home: a day is away when most of its geotagged items are; a day without geotagged items
 * between two away days (a day of indoor photos, a day without photos) does not end the trip, a day at home does.
 * A trip lasts two days at least.
 */
export function findTrips(days: readonly PlaceDay[], options: { minDays?: number; gapDays?: number } = {}): Trip[] {
  const minDays = options.minDays ?? 2;
  const gapDays = options.gapDays ?? 1;
  const sorted = [...days].sort((a, b) => (a.day < b.day ? -1 : 1));
  const trips: Trip[] = [];
  let current: { from: string; to: string; places: Map<string, TripPlace> } | null = null;
  const close = () => {
    if (current && dayNumber(current.to) - dayNumber(current.from) + 1 >= minDays)
      trips.push({ from: current.from, to: current.to, places: [...current.places.values()] });
    current = null;
  };
  for (const day of sorted) {
    if (day.geotagged === 0) continue;
    const away = day.away * 2 > day.geotagged;
    if (!away) {
      close();
      continue;
    }
    if (current && dayNumber(day.day) - dayNumber(current.to) > gapDays + 1) close();
    current ??= { from: day.day, to: day.day, places: new Map() };
    current.to = day.day;
    for (const place of day.places) {
      const key = `${place.name}|${place.state}|${place.countryCode}`;
      const seen = current.places.get(key);
      if (!seen) current.places.set(key, { ...place });
      else {
        const count = seen.count + place.count;
        seen.latitude = (seen.latitude * seen.count + place.latitude * place.count) / count;
        seen.longitude = (seen.longitude * seen.count + place.longitude * place.count) / count;
        seen.count = count;
        seen.first = Math.min(seen.first, place.first);
      }
    }
  }
  close();
  return trips;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "May 2024", "May–June 2024", "December 2023 – January 2024". */
export function monthRange(from: string, to: string): string {
  const [fy, fm] = [Number(from.slice(0, 4)), Number(from.slice(5, 7)) - 1];
  const [ty, tm] = [Number(to.slice(0, 4)), Number(to.slice(5, 7)) - 1];
  if (fy === ty && fm === tm) return `${MONTHS[fm]} ${fy}`;
  if (fy === ty) return `${MONTHS[fm]}–${MONTHS[tm]} ${fy}`;
  return `${MONTHS[fm]} ${fy} – ${MONTHS[tm]} ${ty}`;
}

/** "Porto", "Porto and Lisbon", "Porto, Lisbon and Sintra": the most visited places (three at most), in the order visited. */
export function placeNames(places: readonly { name: string; count: number; first: number }[]): string | null {
  const top = [...places].sort((a, b) => b.count - a.count || a.first - b.first).slice(0, 3);
  const names = top.sort((a, b) => a.first - b.first).map((p) => p.name);
  if (names.length === 0) return null;
  if (names.length === 1) return names[0]!;
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function kmBetween(a: Position, b: Position): number {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((b.latitude - a.latitude) * rad) / 2) ** 2 +
    Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(((b.longitude - a.longitude) * rad) / 2) ** 2;
  return 12_742 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Where the town a region is named after lies (Porto, Lisbon, Tokyo), or null when none is. */
export type RegionTown = (state: string, countryCode: string) => Position | null;

/**
 * A trip's places as a person names them: the geocoder names districts (Lisbon's parishes, Porto's), so the places
 * within SAME_PLACE_KM of the most photographed one are one, named after their region where the region is named
 * after a town that close to them (Porto, Lisbon, Tokyo), else after the most photographed of them.
 */
export function tripPlaces(places: readonly TripPlace[], regionTown: RegionTown): { name: string; count: number; first: number }[] {
  const left = [...places].sort((a, b) => b.count - a.count || a.first - b.first);
  const named: { name: string; count: number; first: number }[] = [];
  while (left.length > 0) {
    const main = left[0]!;
    const group = left.filter((place) => kmBetween(main, place) <= SAME_PLACE_KM);
    for (const place of group) left.splice(left.indexOf(place), 1);
    const town = main.state !== null && main.countryCode !== null ? regionTown(main.state, main.countryCode) : null;
    const name = town && kmBetween(main, town) <= SAME_PLACE_KM ? main.state! : main.name;
    named.push({ name, count: group.reduce((sum, place) => sum + place.count, 0), first: Math.min(...group.map((place) => place.first)) });
  }
  return named;
}

/** "Porto and Lisbon, May 2024"; "A trip, May 2024" when no place is named. */
export function tripTitle(trip: Trip, regionTown: RegionTown): string {
  return `${placeNames(tripPlaces(trip.places, regionTown)) ?? 'A trip'}, ${monthRange(trip.from, trip.to)}`;
}

export function yearsAgo(year: number, todayYear: number): string {
  const n = todayYear - year;
  return n === 1 ? '1 year ago' : `${n} years ago`;
}

/** An item a memory may show: when it was taken, and how good a shot it is. */
export interface MemoryItem {
  id: string;
  /** Seconds (the camera's clock). */
  taken: number;
  favorite: boolean;
  rating: number | null;
  /** The best-shot score, 0–1 (null: not measured). */
  shot: number | null;
}

/** How good an item is for a memory: the user's favourites and stars first, then the best-shot score. */
export function memoryScore(item: MemoryItem): number {
  return (item.favorite ? 2 : 0) + (item.rating ?? 0) * 0.3 + (item.shot ?? 0.5);
}

/** Items of one moment (taken within BURST_SECONDS of the one before) folded into their best; then the best first. */
export function foldAndRank(items: readonly MemoryItem[]): MemoryItem[] {
  const byTime = [...items].sort((a, b) => a.taken - b.taken || (a.id < b.id ? -1 : 1));
  const kept: MemoryItem[] = [];
  let last: MemoryItem | null = null;
  for (const item of byTime) {
    if (last && item.taken - last.taken <= BURST_SECONDS) {
      if (memoryScore(item) > memoryScore(kept.at(-1)!)) kept[kept.length - 1] = item;
    } else kept.push(item);
    last = item;
  }
  return kept.sort((a, b) => memoryScore(b) - memoryScore(a) || a.taken - b.taken);
}
