// "Set location": pick where one item or a selection was taken on the built-in map; saved through PATCH
// /api/photos (kept over reprocessing, written to the sidecar where write-back is on).
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef, useState } from 'react';
import { useAction } from '../../hooks/useAction.js';
import { Dialog } from '../Dialog.js';
import { formatCount } from '../../lib/format.js';
import { makeMap } from './makeMap.js';
import { WORLD_VIEW, wrapLongitude } from './view.js';
import '../../styles/map.css';

export interface Position {
  latitude: number;
  longitude: number;
}

interface Props {
  open: boolean;
  /** How many items the location is for. */
  count: number;
  /** Where it is now (one item), to start from and to offer removing. */
  current: Position | null;
  onCancel: () => void;
  /** Saves the position (null: removes it); a rejection's message is shown. */
  onSave: (position: Position | null) => Promise<void>;
  /** The question the dialog asks and its hint, when not where items were taken (home, for memories and search). */
  title?: string;
  prompt?: string;
  /** What taking the position away is called ("Learn home again"). */
  removeLabel?: string;
}

const PIN = { radius: 9, color: '#fff', weight: 3, fillColor: '#c46a1b', fillOpacity: 1 };

export function LocationDialog({ open, count, current, onCancel, onSave, title, prompt, removeLabel }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const [picked, setPicked] = useState<Position | null>(null);
  const { busy, error, setError, run } = useAction();
  const latitude = current?.latitude;
  const longitude = current?.longitude;

  useEffect(() => {
    const element = container.current;
    if (!open || !element) return;
    setPicked(null);
    setError(null);
    const made = makeMap(element, latitude !== undefined && longitude !== undefined ? { latitude, longitude, zoom: 6 } : WORLD_VIEW, {
      onError: setError,
      onSourceProblem: setError,
    });
    const pin = L.circleMarker([0, 0], PIN);
    if (latitude !== undefined && longitude !== undefined) pin.setLatLng([latitude, longitude]).addTo(made.map);
    made.map.on('click', (event: L.LeafletMouseEvent) => {
      const position = { latitude: Math.max(-90, Math.min(90, event.latlng.lat)), longitude: wrapLongitude(event.latlng.lng) };
      pin.setLatLng(event.latlng).addTo(made.map);
      setPicked(position);
    });
    // the dialog has its size only now
    const sized = window.setTimeout(() => made.map.invalidateSize(), 0);
    return () => {
      window.clearTimeout(sized);
      made.remove();
    };
    // by value: the page polls the photo while it is processed, a new object each time, the same place
  }, [open, latitude, longitude, setError]);

  const save = (position: Position | null) => void run(() => onSave(position));

  const what = count === 1 ? 'this item' : `${formatCount(count)} items`;
  return (
    <Dialog
      open={open}
      title={title ?? `Where was ${what} taken?`}
      busy={busy}
      onCancel={onCancel}
      backdropCancels={false}
      className="location-dialog"
      secondary={
        current ? (
          <button type="button" className="button button-danger-outline" disabled={busy} onClick={() => save(null)}>
            {removeLabel ?? 'Remove location'}
          </button>
        ) : null
      }
      action={{ label: 'Save location', busyLabel: 'Save location', disabled: !picked, onAction: () => save(picked) }}
    >
      <p className="muted">{prompt ?? 'Click the map where it was taken; zoom in to be precise.'}</p>
      <div ref={container} className="location-map" data-testid="location-map" role="application" aria-label="Pick the place on the map" />
      <p className="location-picked" data-testid="location-picked">
        {picked
          ? `${picked.latitude.toFixed(5)}, ${picked.longitude.toFixed(5)}`
          : current
            ? `Now: ${current.latitude.toFixed(5)}, ${current.longitude.toFixed(5)}`
            : 'No place picked yet.'}
      </p>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </Dialog>
  );
}
