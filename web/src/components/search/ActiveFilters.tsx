// The filters in use above the results, each a chip with a remove button: also those set elsewhere (a place or
// an album from a suggestion), which the filters panel does not show.
import type { SearchFilters } from '../../client/search.js';
import { formatShortDate } from '../../lib/format.js';
import type { FilterChoices } from './SearchFilters.js';
import { useAlbumName } from './useSearchLookups.js';

export function ActiveFilters({ filters, choices, onChange }: { filters: SearchFilters; choices: FilterChoices; onChange: (filters: SearchFilters) => void }) {
  const album = useAlbumName(filters.album);
  const chips: { key: string; label: string; remove: SearchFilters }[] = [];
  for (const name of filters.categories ?? []) {
    const label = choices.categories?.find((c) => c.name === name)?.label ?? name;
    chips.push({ key: `category:${name}`, label, remove: { ...filters, categories: filters.categories!.filter((c) => c !== name) } });
  }
  for (const id of filters.people ?? []) {
    const person = choices.people?.find((p) => p.id === id);
    chips.push({
      key: `person:${id}`,
      label: person ? (person.name ?? 'Unnamed person') : 'Person',
      remove: { ...filters, people: filters.people!.filter((p) => p !== id) },
    });
  }
  if (filters.from || filters.to) {
    const from = formatShortDate(filters.from ?? null);
    const to = formatShortDate(filters.to ?? null);
    const label = from && to ? (from === to ? `On ${from}` : `${from} – ${to}`) : from ? `From ${from}` : `Until ${to}`;
    chips.push({ key: 'dates', label, remove: { ...filters, from: undefined, to: undefined } });
  }
  if (filters.camera) chips.push({ key: 'camera', label: `Camera: ${filters.camera}`, remove: { ...filters, camera: undefined } });
  if (filters.place) chips.push({ key: 'place', label: `Place: ${filters.place}`, remove: { ...filters, place: undefined } });
  if (filters.album) chips.push({ key: 'album', label: `Album: ${album ?? '…'}`, remove: { ...filters, album: undefined } });
  if (filters.hasLocation) chips.push({ key: 'location', label: 'Has a location', remove: { ...filters, hasLocation: undefined } });
  if (filters.favorite) chips.push({ key: 'favorite', label: 'Favourites', remove: { ...filters, favorite: undefined } });
  if (filters.minRating)
    chips.push({
      key: 'rating',
      label: `${'★'.repeat(filters.minRating)}${filters.minRating < 5 ? ' and up' : ''}`,
      remove: { ...filters, minRating: undefined },
    });
  if (filters.hideDuplicates) chips.push({ key: 'duplicates', label: 'Duplicates hidden', remove: { ...filters, hideDuplicates: undefined } });
  if (chips.length === 0) return null;
  return (
    <ul className="filter-chips" aria-label="Filters in use" data-testid="active-filters">
      {chips.map((chip) => (
        <li key={chip.key} className="filter-chip">
          <span>{chip.label}</span>
          <button type="button" className="filter-chip-remove" aria-label={`Remove filter: ${chip.label}`} onClick={() => onChange(chip.remove)}>
            <span aria-hidden="true">×</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
