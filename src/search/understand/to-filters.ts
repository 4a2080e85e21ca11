// What a query was understood to ask, as search filters: people and dates named are filters, not hints. A filter
// given explicitly (the API's parameters, the web app's filter panel) wins over the same kind understood. Pure.
import type { SearchFilters } from '../types.js';
import { dateInstants, type Understood } from './understood.js';

/** How far from home still is home: the town and its surroundings. */
export const HOME_RADIUS_KM = 25;

export function withUnderstood(
  explicit: SearchFilters,
  understood: Understood,
  timeZone: string,
  home: { latitude: number; longitude: number } | null = null,
): SearchFilters {
  const filters: SearchFilters = { ...explicit };
  if (understood.home && home) {
    const around = { ...home, radiusKm: HOME_RADIUS_KM };
    if (understood.home.negated) filters.notNear = around;
    else if (!explicit.near && !explicit.bbox) filters.near = around;
  }
  const wanted = understood.people.filter((p) => !p.negated).map((p) => p.id);
  const unwanted = understood.people.filter((p) => p.negated).map((p) => p.id);
  if (!explicit.people?.length && wanted.length > 0) {
    filters.people = wanted;
    filters.peopleMatch = understood.peopleMatch; // several named at once: together, unless joined by "or"
  }
  if (unwanted.length > 0) filters.excludePeople = [...(explicit.excludePeople ?? []), ...unwanted];
  if (!explicit.place && !explicit.places?.length) {
    const places = understood.places.filter((p) => !p.negated).map((p) => p.name);
    if (places.length > 0) filters.places = places;
  }
  const notPlaces = understood.places.filter((p) => p.negated).map((p) => p.name);
  if (notPlaces.length > 0) filters.excludePlaces = notPlaces;
  if (!explicit.from && !explicit.to && !explicit.dateRanges?.length) {
    const ranges = dateInstants(understood, timeZone);
    const within = ranges.filter((r) => !r.negated).map(({ from, to }) => ({ from, to }));
    const outside = ranges.filter((r) => r.negated).map(({ from, to }) => ({ from, to }));
    if (within.length > 0) filters.dateRanges = within;
    if (outside.length > 0) filters.excludeDates = outside;
    if (understood.yearly.length > 0) filters.yearly = { days: understood.yearly.map(({ from, to }) => ({ from, to })), timeZone };
  }
  if (!explicit.type && understood.type) filters.type = understood.type;
  if (understood.kind) filters.kind = understood.kind;
  if (!explicit.camera && understood.camera) filters.camera = understood.camera;
  if (explicit.favorite === undefined && understood.favorite !== null) filters.favorite = understood.favorite;
  if (explicit.minRating === undefined && understood.minRating !== null) filters.minRating = understood.minRating;
  if (!explicit.album && understood.album) {
    if (understood.album.negated) filters.excludeAlbum = understood.album.id;
    else filters.album = understood.album.id;
  }
  if (understood.inAlbum !== null && !explicit.album) filters.inAlbum = understood.inAlbum;
  return filters;
}

/** The labels of what filtered the items: every hit satisfies them ("Marie Dupont", "Portugal", "Summer 2025"). */
export function filterLabels(understood: Understood): string[] {
  return understood.parts
    .filter((p) => p.kind !== 'text' && p.kind !== 'best')
    .map((p) => (p.negated && !/^(no|not) /.test(p.label) ? `not ${p.label}` : p.label));
}
