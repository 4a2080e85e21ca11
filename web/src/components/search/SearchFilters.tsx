// The filters of a search: categories, dates, people, camera, has a location, hide duplicates. Each change
// goes straight into the URL (the search runs again); both arms of the search apply them before ranking.
import { useEffect, useId, useState } from 'react';
import { photoUrls } from '../../api.js';
import { leastRatingText, plural } from '../../lib/format.js';
import { Link } from '../../lib/router.js';
import { suggest, type Category, type PersonChoice, type SearchFilters } from '../../client/search.js';

export interface FilterChoices {
  categories: Category[] | null;
  people: PersonChoice[] | null;
  error: string | null;
}

/** A date the user finished typing: four-digit years from 1800 on (a half-typed year would search at once). */
const completeDate = (value: string) => /^(1[89]|2\d)\d\d-\d\d-\d\d$/.test(value);

export function SearchFiltersPanel({
  filters,
  choices,
  onChange,
}: {
  filters: SearchFilters;
  choices: FilterChoices;
  onChange: (filters: SearchFilters) => void;
}) {
  const id = useId();
  const set = (patch: Partial<SearchFilters>) => onChange({ ...filters, ...patch });
  const toggle = (list: string[] | undefined, value: string, on: boolean) => {
    const rest = (list ?? []).filter((v) => v !== value);
    return on ? [...rest, value] : rest;
  };
  const selectedCategories = new Set(filters.categories ?? []);
  const selectedPeople = new Set(filters.people ?? []);

  return (
    <div className="filters" data-testid="search-filters">
      {choices.error ? <p className="banner banner-error">The filters could not be loaded: {choices.error}</p> : null}

      <fieldset className="filter-group">
        <legend>Categories</legend>
        {choices.categories === null ? (
          <p className="muted filter-loading">Loading…</p>
        ) : (
          <CategoryList
            categories={choices.categories}
            selected={selectedCategories}
            onToggle={(name, on) => set({ categories: toggle(filters.categories, name, on) })}
          />
        )}
      </fieldset>

      <fieldset className="filter-group">
        <legend>Date taken</legend>
        <div className="filter-dates">
          <label htmlFor={`${id}-from`}>From</label>
          <input
            id={`${id}-from`}
            type="date"
            data-testid="filter-from"
            value={filters.from ?? ''}
            max={filters.to}
            onChange={(event) => {
              const value = event.target.value;
              if (!value || completeDate(value)) set({ from: value || undefined });
            }}
          />
          <label htmlFor={`${id}-to`}>To</label>
          <input
            id={`${id}-to`}
            type="date"
            data-testid="filter-to"
            value={filters.to ?? ''}
            min={filters.from}
            onChange={(event) => {
              const value = event.target.value;
              if (!value || completeDate(value)) set({ to: value || undefined });
            }}
          />
        </div>
      </fieldset>

      <fieldset className="filter-group">
        <legend>People</legend>
        {choices.people === null ? (
          <p className="muted filter-loading">Loading…</p>
        ) : (
          <PeopleList people={choices.people} selected={selectedPeople} onToggle={(personId, on) => set({ people: toggle(filters.people, personId, on) })} />
        )}
      </fieldset>

      <fieldset className="filter-group">
        <legend>Camera</legend>
        <CameraInput value={filters.camera ?? ''} onCommit={(camera) => set({ camera: camera || undefined })} />
      </fieldset>

      <fieldset className="filter-group">
        <legend>Favourites and rating</legend>
        <label className="filter-check">
          <input
            type="checkbox"
            data-testid="filter-favorite"
            checked={!!filters.favorite}
            onChange={(event) => set({ favorite: event.target.checked || undefined })}
          />
          <span>Favourites only</span>
        </label>
        <label htmlFor={`${id}-rating`} className="visually-hidden">
          Least rating
        </label>
        <select
          id={`${id}-rating`}
          className="filter-rating"
          data-testid="filter-rating"
          value={filters.minRating ?? ''}
          onChange={(event) => set({ minRating: event.target.value ? Number(event.target.value) : undefined })}
        >
          <option value="">Any rating</option>
          {[1, 2, 3, 4, 5].map((n) => (
            <option key={n} value={n}>
              {leastRatingText(n)}
            </option>
          ))}
        </select>
      </fieldset>

      <fieldset className="filter-group">
        <legend className="visually-hidden">More</legend>
        <label className="filter-check">
          <input
            type="checkbox"
            data-testid="filter-has-location"
            checked={!!filters.hasLocation}
            onChange={(event) => set({ hasLocation: event.target.checked || undefined })}
          />
          <span>Has a location</span>
        </label>
        <label className="filter-check">
          <input
            type="checkbox"
            data-testid="filter-hide-duplicates"
            checked={!!filters.hideDuplicates}
            onChange={(event) => set({ hideDuplicates: event.target.checked || undefined })}
          />
          <span>
            Hide duplicates <span className="muted filter-note">(one photo per group)</span>
          </span>
        </label>
      </fieldset>
    </div>
  );
}

function CategoryList({
  categories,
  selected,
  onToggle,
}: {
  categories: Category[];
  selected: ReadonlySet<string>;
  onToggle: (name: string, on: boolean) => void;
}) {
  const [showEmpty, setShowEmpty] = useState(false);
  // Empty categories only clutter the list; one chosen stays (its link may come from elsewhere).
  const shown = categories.filter((c) => showEmpty || c.photoCount > 0 || selected.has(c.name));
  const hidden = categories.length - shown.length;
  if (categories.length === 0) return <p className="muted filter-empty">No categories yet.</p>;
  return (
    <>
      {shown.length === 0 ? <p className="muted filter-empty">No photo is in a category yet: they are sorted into them as they are analysed.</p> : null}
      <ul className="filter-options">
        {shown.map((category) => (
          <li key={category.id}>
            <label className="filter-check">
              <input
                type="checkbox"
                data-testid="filter-category"
                value={category.name}
                checked={selected.has(category.name)}
                onChange={(event) => onToggle(category.name, event.target.checked)}
              />
              <span>{category.label}</span>
              <span className="filter-count" aria-label={plural(category.photoCount, 'item', 'items')}>
                {category.photoCount}
              </span>
            </label>
          </li>
        ))}
      </ul>
      {hidden > 0 || showEmpty ? (
        <button type="button" className="search-link-button" aria-expanded={showEmpty} onClick={() => setShowEmpty(!showEmpty)}>
          {showEmpty ? 'Hide empty categories' : `Show ${hidden} empty ${hidden === 1 ? 'category' : 'categories'}`}
        </button>
      ) : null}
    </>
  );
}

function PeopleList({ people, selected, onToggle }: { people: PersonChoice[]; selected: ReadonlySet<string>; onToggle: (id: string, on: boolean) => void }) {
  // Unnamed people are faces without a name yet: listed by name only once they have one (or are chosen already).
  const shown = people.filter((person) => (person.name && !person.hidden) || selected.has(person.id));
  const unnamed = people.filter((person) => !person.name && !person.hidden).length;
  const unknown = [...selected].filter((id) => !people.some((person) => person.id === id));
  return (
    <>
      {shown.length === 0 && unknown.length === 0 ? (
        <p className="muted filter-empty">
          {unnamed > 0 ? (
            <>
              Name the people found in your photos on the <Link to="/people">People page</Link> to search by them.
            </>
          ) : (
            'No people found in your photos yet.'
          )}
        </p>
      ) : null}
      <ul className="filter-options filter-people">
        {shown.map((person) => (
          <li key={person.id}>
            <label className="filter-check">
              <input
                type="checkbox"
                data-testid="filter-person"
                value={person.id}
                checked={selected.has(person.id)}
                onChange={(event) => onToggle(person.id, event.target.checked)}
              />
              {person.coverFaceId ? (
                <img className="filter-face" src={photoUrls.face(person.coverFaceId)} alt="" width={24} height={24} loading="lazy" />
              ) : (
                <span className="filter-face" aria-hidden="true" />
              )}
              <span>{person.name ?? 'Unnamed person'}</span>
              <span className="filter-count" aria-label={plural(person.photoCount, 'item', 'items')}>
                {person.photoCount}
              </span>
            </label>
          </li>
        ))}
        {unknown.map((personId) => (
          <li key={personId}>
            <label className="filter-check">
              <input type="checkbox" checked onChange={() => onToggle(personId, false)} />
              <span className="muted">A person no longer in the library</span>
            </label>
          </li>
        ))}
      </ul>
      {shown.length > 0 && unnamed > 0 ? (
        <p className="muted filter-empty">
          {unnamed} {unnamed === 1 ? 'person has' : 'people have'} no name yet: name them on the <Link to="/people">People page</Link>.
        </p>
      ) : null}
    </>
  );
}

/** Part of a camera's make and model; applied on Enter or when leaving the field, with the library's cameras offered. */
function CameraInput({ value, onCommit }: { value: string; onCommit: (value: string) => void }) {
  const id = useId();
  const [text, setText] = useState(value);
  const [cameras, setCameras] = useState<string[]>([]);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    const q = text.trim();
    if (!q || q === value) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      suggest(q, 10, controller.signal, ['camera'])
        .then((found) => setCameras(found.map((s) => s.label)))
        .catch(() => undefined);
    }, 200);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text, value]);
  const commit = () => {
    if (text.trim() !== value) onCommit(text.trim());
  };
  return (
    <>
      <label htmlFor={`${id}-camera`} className="visually-hidden">
        Camera make or model
      </label>
      <input
        id={`${id}-camera`}
        type="text"
        className="filter-text"
        data-testid="filter-camera"
        list={`${id}-cameras`}
        placeholder="e.g. Canon, iPhone 12"
        autoComplete="off"
        value={text}
        onChange={(event) => setText(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            commit();
          }
        }}
      />
      <datalist id={`${id}-cameras`}>
        {cameras.map((camera) => (
          <option key={camera} value={camera} />
        ))}
      </datalist>
    </>
  );
}
