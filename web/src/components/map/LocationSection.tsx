// A photo's place on a small map, with "Show on the map" and, for its owner, "Set location" / "Change location".
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef, useState } from 'react';
import { updatePhotos } from '../../client/library.js';
import { Link } from '../../lib/router.js';
import { LocationDialog, type Position } from './LocationDialog.js';
import { makeMap } from './makeMap.js';
import '../../styles/map.css';

export function LocationSection({
  photoId,
  position,
  own,
  onChanged,
}: {
  photoId: string;
  position: Position | null;
  own: boolean;
  onChanged: (message: string) => void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const [picking, setPicking] = useState(false);
  const latitude = position?.latitude;
  const longitude = position?.longitude;

  useEffect(() => {
    const element = container.current;
    if (!element || latitude === undefined || longitude === undefined) return;
    const made = makeMap(element, { latitude, longitude, zoom: 5 }, { interactive: false });
    L.circleMarker([latitude, longitude], { radius: 7, color: '#fff', weight: 2, fillColor: '#c46a1b', fillOpacity: 1 }).addTo(made.map);
    return () => made.remove();
  }, [latitude, longitude]);

  if (!position && !own) return null;
  return (
    <section className="info-section location-section" aria-labelledby="location-title" data-testid="location-section">
      <h2 id="location-title">Location</h2>
      {position ? (
        <div ref={container} className="location-small-map" data-testid="location-small-map" aria-hidden="true" />
      ) : (
        <p className="muted">No location.</p>
      )}
      <p className="location-links">
        {position ? <Link to={`/map?at=${position.latitude.toFixed(5)},${position.longitude.toFixed(5)},12`}>Show on the map</Link> : null}
        {own ? (
          <button type="button" className="button button-ghost" onClick={() => setPicking(true)} data-testid="set-location">
            {position ? 'Change location' : 'Set location'}
          </button>
        ) : null}
      </p>
      {own ? (
        <LocationDialog
          open={picking}
          count={1}
          current={position}
          onCancel={() => setPicking(false)}
          onSave={async (picked) => {
            await updatePhotos([photoId], { location: picked });
            setPicking(false);
            onChanged(picked ? 'Location saved.' : 'Location removed.');
          }}
        />
      ) : null}
    </section>
  );
}
