import type { MapFilter } from '../../client/map.js';
import { navigate } from '../../lib/router.js';

const FILTER_KEYS = ['type', 'favorite', 'from', 'to', 'person', 'album', 'place'] as const;

/** The map's filters in its URL: `type`, `favorite`, `from`, `to` (YYYY-MM-DD), `person` and `album` ids, a `place`. */
export function filterFromSearch(search: string): MapFilter {
  const params = new URLSearchParams(search);
  const filter: MapFilter = {};
  const type = params.get('type');
  if (type === 'photo' || type === 'video') filter.type = type;
  if (params.get('favorite') === 'true') filter.favorite = true;
  const day = (value: string | null) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined);
  filter.from = day(params.get('from'));
  // `to` is the whole day
  const to = day(params.get('to'));
  filter.to = to ? `${to}T23:59:59.999Z` : undefined;
  const id = (value: string | null) => (value && /^[0-9a-f-]{36}$/i.test(value) ? value : undefined);
  filter.person = id(params.get('person'));
  filter.album = id(params.get('album'));
  const place = params.get('place')?.trim();
  filter.place = place && place.length <= 200 ? place : undefined;
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined)) as MapFilter;
}

/** The filters as a stable string (what the map refetches on). */
export function filterSearch(filter: MapFilter): string {
  return JSON.stringify(FILTER_KEYS.map((key) => filter[key] ?? null));
}

function setParam(name: string, value: string | null): void {
  const params = new URLSearchParams(window.location.search);
  if (value === null || value === '') params.delete(name);
  else params.set(name, value);
  navigate(`/map?${params}`, { replace: true });
}

/** What narrows the map, as the timeline's filters: a kind of item, the favourites, dates, a person, an album. */
export function MapFilters({ filter }: { filter: MapFilter }) {
  return (
    <form className="map-filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
      <label>
        <span className="visually-hidden">Kind of item</span>
        <select value={filter.type ?? ''} onChange={(event) => setParam('type', event.target.value || null)} aria-label="Kind of item">
          <option value="">Photos and videos</option>
          <option value="photo">Photos</option>
          <option value="video">Videos</option>
        </select>
      </label>
      <label className="map-filter-check">
        <input type="checkbox" checked={filter.favorite === true} onChange={(event) => setParam('favorite', event.target.checked ? 'true' : null)} />
        Favourites
      </label>
      <label>
        From
        <input type="date" value={filter.from ?? ''} onChange={(event) => setParam('from', event.target.value || null)} />
      </label>
      <label>
        to
        <input type="date" value={filter.to?.slice(0, 10) ?? ''} onChange={(event) => setParam('to', event.target.value || null)} />
      </label>
      {filter.person ? (
        <button type="button" className="chip" onClick={() => setParam('person', null)} aria-label="Show everyone, not one person">
          One person ×
        </button>
      ) : null}
      {filter.place ? (
        <button type="button" className="chip" onClick={() => setParam('place', null)} aria-label={`Show every place, not only ${filter.place}`}>
          {filter.place} ×
        </button>
      ) : null}
      {filter.album ? (
        <button type="button" className="chip" onClick={() => setParam('album', null)} aria-label="Show every album, not one">
          One album ×
        </button>
      ) : null}
    </form>
  );
}
