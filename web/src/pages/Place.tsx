import { useEffect, useMemo } from 'react';
import type { LibraryFilter } from '../client/library.js';
import { Timeline } from '../components/timeline/Timeline.js';
import { formatCount } from '../lib/format.js';
import { Link } from '../lib/router.js';
import { library, useSequence } from '../store/library.js';
import '../styles/gallery.css';

/** A place (a city, a region, a country as the photos name it): its photos and videos, and the way to the map. */
export function PlacePage({ name }: { name: string }) {
  const filter = useMemo<LibraryFilter>(() => ({ place: name }), [name]);
  const sequence = useMemo(() => library.sequence(filter), [filter]);
  const state = useSequence(sequence);
  const total = state.timeline?.total ?? null;

  useEffect(() => {
    document.title = `${name} · Shoebox`;
  }, [name]);

  return (
    <main className="gallery place-page">
      <div className="page-head">
        <div>
          <h1 data-testid="place-title">{name}</h1>
          <p className="muted page-head-sub" data-testid="place-summary">
            {total === null ? '…' : `${formatCount(total)} ${total === 1 ? 'item' : 'items'} taken here`}
          </p>
        </div>
        <Link to={`/map?place=${encodeURIComponent(name)}`} className="button" data-testid="place-map">
          Show on the map
        </Link>
      </div>
      <Timeline
        filter={filter}
        label={`${name}, newest first`}
        empty={
          <section className="empty" data-testid="place-empty">
            <h2>Nothing taken in {name}</h2>
            <p>Places come from where photos were taken: their GPS position (the nearest town) or the place their file names.</p>
          </section>
        }
      />
    </main>
  );
}
