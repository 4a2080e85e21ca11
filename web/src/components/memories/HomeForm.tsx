// Setting home (for trips and "at home" in search): by a town's name, picked from the towns it starts (their other
// names too: "Lissabon"), by a click on the map, or by coordinates. Leaflet loads only when the map is opened.
import { lazy, Suspense, useEffect, useId, useState, type KeyboardEvent } from 'react';
import '../../styles/combobox.css';
import { findTowns, type Town } from '../../client/map.js';

const LocationDialog = lazy(() => import('../map/LocationDialog.js').then((m) => ({ default: m.LocationDialog })));

export interface Position {
  latitude: number;
  longitude: number;
}

interface Props {
  onSave: (position: Position | null) => void;
  /** Home as set, null when learned. */
  home: Position | null;
  /** Where the map opens when home is not set: the learned home. */
  near: Position | null;
}

export function HomeForm({ onSave, home, near }: Props) {
  const [mapOpen, setMapOpen] = useState(false);
  return (
    <div className="memory-home-form">
      <TownField onPick={(town) => onSave({ latitude: town.latitude, longitude: town.longitude })} />
      <button type="button" className="button" onClick={() => setMapOpen(true)} data-testid="home-on-map">
        Pick on the map
      </button>
      <CoordinatesForm onSave={onSave} />
      {home ? (
        <button type="button" className="button button-ghost" onClick={() => onSave(null)}>
          Learn home again
        </button>
      ) : null}
      {mapOpen ? (
        <Suspense fallback={null}>
          <LocationDialog
            open
            count={1}
            current={home ?? near}
            title="Where is home?"
            prompt="Click the map where home is; zoom in to be precise."
            removeLabel="Learn home again"
            onCancel={() => setMapOpen(false)}
            onSave={async (position) => {
              onSave(position);
              setMapOpen(false);
            }}
          />
        </Suspense>
      ) : null}
    </div>
  );
}

const townLabel = (town: Town) => `${town.name}${town.matched ? ` (${town.matched})` : ''}${town.country ? `, ${town.country}` : ''}`;

/** A town's name, with the towns it starts offered below (the ARIA combobox pattern: the focus stays in the field). */
function TownField({ onPick }: { onPick: (town: Town) => void }) {
  const ids = useId();
  const [typed, setTyped] = useState('');
  const [options, setOptions] = useState<Town[]>([]);
  const [active, setActive] = useState(-1);
  const [picked, setPicked] = useState<string | null>(null);

  useEffect(() => {
    const text = typed.trim();
    // the field shows the town picked: nothing to offer until it is typed in again
    if (text.length < 2 || typed === picked) {
      setOptions([]);
      return;
    }
    const aborted = new AbortController();
    // a keystroke's answer that comes after the next one's is dropped
    const timer = window.setTimeout(() => {
      findTowns(text, aborted.signal)
        .then((found) => {
          setOptions(found);
          setActive(found.length > 0 ? 0 : -1);
        })
        .catch(() => undefined);
    }, 150);
    return () => {
      window.clearTimeout(timer);
      aborted.abort();
    };
  }, [typed, picked]);

  const pick = (town: Town) => {
    setPicked(townLabel(town));
    setTyped(townLabel(town));
    setOptions([]);
    onPick(town);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (options.length === 0) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (i + step + options.length) % options.length);
    } else if (event.key === 'Enter' && active >= 0) {
      event.preventDefault();
      pick(options[active]!);
    } else if (event.key === 'Escape') {
      setOptions([]);
    }
  };

  const listId = `${ids}-towns`;
  return (
    <div className="combobox memory-home-town">
      <label htmlFor={`${ids}-town`}>Town</label>
      <input
        id={`${ids}-town`}
        type="text"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={options.length > 0}
        aria-controls={listId}
        aria-activedescendant={active >= 0 && options.length > 0 ? `${ids}-town-${active}` : undefined}
        placeholder="Lyon"
        value={typed}
        maxLength={100}
        onChange={(event) => setTyped(event.target.value)}
        onKeyDown={onKeyDown}
        data-testid="home-town"
      />
      {options.length > 0 ? (
        <ul id={listId} role="listbox" className="combobox-list" aria-label="Towns" data-testid="home-towns">
          {options.map((town, i) => (
            <li
              key={`${town.name}|${town.latitude}|${town.longitude}`}
              id={`${ids}-town-${i}`}
              role="option"
              aria-selected={i === active}
              className={`combobox-option${i === active ? ' combobox-option-active' : ''}`}
              onMouseDown={(event) => event.preventDefault() /* keep the focus in the field */}
              onMouseEnter={() => setActive(i)}
              onClick={() => pick(town)}
            >
              {townLabel(town)}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function CoordinatesForm({ onSave }: { onSave: (position: Position) => void }) {
  const [latitude, setLatitude] = useState('');
  const [longitude, setLongitude] = useState('');
  const lat = Number(latitude);
  const lng = Number(longitude);
  const valid = latitude.trim() !== '' && longitude.trim() !== '' && Math.abs(lat) <= 90 && Math.abs(lng) <= 180;
  return (
    <form
      className="memory-home-coordinates"
      onSubmit={(event) => {
        event.preventDefault();
        if (valid) onSave({ latitude: lat, longitude: lng });
      }}
    >
      <label>
        Latitude
        <input inputMode="decimal" value={latitude} onChange={(event) => setLatitude(event.target.value)} placeholder="45.76" />
      </label>
      <label>
        Longitude
        <input inputMode="decimal" value={longitude} onChange={(event) => setLongitude(event.target.value)} placeholder="4.84" />
      </label>
      <button type="submit" className="button" disabled={!valid}>
        Set home
      </button>
    </form>
  );
}
