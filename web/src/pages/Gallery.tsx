import { useEffect } from 'react';
import { MemoryStrip } from '../components/memories/MemoryStrip.js';
import { PullToRefresh } from '../components/PullToRefresh.js';
import { Timeline } from '../components/timeline/Timeline.js';
import { library } from '../store/library.js';
import '../styles/gallery.css';

const refreshLibrary = () => library.refresh();

/** All photos, newest taken first. */
export function Gallery() {
  useEffect(() => {
    document.title = 'Photos · Shoebox';
    library.ensureLoaded();
  }, []);
  return (
    <main className="gallery">
      <h1 className="visually-hidden">All photos</h1>
      <PullToRefresh onRefresh={refreshLibrary} />
      <MemoryStrip />
      <Timeline label="All photos, newest first" empty={<EmptyLibrary />} />
    </main>
  );
}

function EmptyLibrary() {
  return (
    <section className="empty" data-testid="empty-library">
      <svg viewBox="0 0 32 32" className="empty-mark" aria-hidden="true" focusable="false">
        <rect x="3" y="11" width="26" height="17" rx="2.5" fill="currentColor" opacity="0.35" />
        <path d="M2 8.5A2.5 2.5 0 0 1 4.5 6h23A2.5 2.5 0 0 1 30 8.5V12H2z" fill="currentColor" opacity="0.6" />
      </svg>
      <h2>Your Shoebox is empty</h2>
      <p>Drop photos or whole folders anywhere on this page, or use the Upload button.</p>
      <p className="muted">
        To bring in a folder on the server, run <code>shoebox import &lt;folder&gt;</code>.
      </p>
      <button type="button" className="button button-primary" onClick={() => document.getElementById('upload-input')?.click()}>
        Choose photos…
      </button>
    </section>
  );
}
