import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, request } from '../../api.js';
import { formatBytes } from '../../lib/format.js';
import { forgetMapSource } from '../../client/map.js';
import type { MapConfigView, MapSource } from '../../../../src/api/contract.js';

/** A URL's host, or the text itself where it is none (a value stored by an older version). */
const hostOf = (url: string | undefined) => {
  const plain = (url ?? '').replace(/\{[a-z]\}/g, 'a');
  return URL.canParse(plain) ? new URL(plain).host : (url ?? '');
};

const message = (caught: unknown) => (caught instanceof ApiError ? caught.message : String(caught));

/** What the map draws, in words: the admin sees which source is in use, not only what was typed. */
export function describeSource(source: MapSource, pmtiles: string | null): string {
  if (source.kind === 'pmtiles')
    return `the PMTiles file ${pmtiles ?? ''} (${source.format === 'vector' ? 'vector tiles, drawn in the browser' : 'images'}), served by Shoebox`;
  if (source.kind === 'style') return `the map style from ${hostOf(source.styleUrl)} (drawn with WebGL), asked by each browser that shows a map`;
  if (source.kind === 'tiles') return `tiles from ${hostOf(source.tileUrl)}, asked by each browser that shows a map`;
  return 'the built-in world map alone: nothing is asked of any other server';
}

/**
 * The admin's map settings: a PMTiles file dropped into the data folder's maps/ (served by Shoebox), a map style or a
 * tile server browsers ask, or none (the built-in world map); and what the map draws now, with the reason when that
 * differs.
 */
export function MapAdmin() {
  const [view, setView] = useState<MapConfigView | null>(null);
  const [form, setForm] = useState({ pmtiles: '', styleUrl: '', tileUrl: '', attribution: '', maxZoom: 18 });
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);
  const show = (next: MapConfigView) => {
    setView(next);
    setForm({
      pmtiles: next.pmtiles ?? '',
      styleUrl: next.styleUrl ?? '',
      tileUrl: next.tileUrl ?? '',
      attribution: next.attribution ?? '',
      maxZoom: next.maxZoom,
    });
  };
  useEffect(() => {
    request<MapConfigView>('GET', '/api/admin/map').then(show, (caught: unknown) => setStatus({ text: message(caught), error: true }));
  }, []);
  if (!view)
    return status ? (
      <p role="alert" className="auth-error">
        {status.text}
      </p>
    ) : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const body = {
        pmtiles: form.pmtiles || null,
        styleUrl: form.styleUrl.trim() || null,
        tileUrl: form.tileUrl.trim() || null,
        attribution: form.attribution.trim() || null,
        maxZoom: form.maxZoom,
      };
      const saved = await request<MapConfigView>('PUT', '/api/admin/map', { body });
      forgetMapSource();
      show(saved);
      setStatus({ text: `Saved: the map draws ${describeSource(saved.source, saved.pmtiles)}.` });
    } catch (caught) {
      setStatus({ text: message(caught), error: true });
    }
  };
  // a file chosen before and gone since stays selectable, so that saving does not drop it unasked
  const files =
    view.pmtiles && !view.pmtilesFiles.some((file) => file.name === view.pmtiles)
      ? [...view.pmtilesFiles, { name: view.pmtiles, sizeBytes: -1 }]
      : view.pmtilesFiles;
  return (
    <section className="card account-section" aria-labelledby="map-admin-title" data-testid="map-admin">
      <h2 id="map-admin-title">Map</h2>
      <p data-testid="map-admin-source">The map draws {describeSource(view.source, view.pmtiles)}.</p>
      {view.problem ? (
        <p role="alert" className="auth-error" data-testid="map-admin-problem">
          {view.problem}
        </p>
      ) : null}
      <form onSubmit={(event) => void submit(event)} className="sso-form">
        <label className="auth-field">
          PMTiles file <span className="muted">(drop one into the data folder’s maps/; it wins over a style and a tile server)</span>
          <select value={form.pmtiles} onChange={(event) => setForm({ ...form, pmtiles: event.target.value })}>
            <option value="">None</option>
            {files.map((file) => (
              <option key={file.name} value={file.name}>
                {file.name} {file.sizeBytes >= 0 ? `(${formatBytes(file.sizeBytes)})` : '(missing)'}
              </option>
            ))}
          </select>
        </label>
        <label className="auth-field">
          Map style <span className="muted">(a MapLibre style’s URL; its tiles, fonts and icons from the same host; wins over a tile server)</span>
          <input
            value={form.styleUrl}
            placeholder="https://tiles.example.org/styles/liberty"
            onChange={(event) => setForm({ ...form, styleUrl: event.target.value })}
          />
        </label>
        <label className="auth-field">
          Tile server <span className="muted">(every browser that shows a map asks it: leave empty to ask no one)</span>
          <input
            value={form.tileUrl}
            placeholder="https://tiles.example.org/{z}/{x}/{y}.png"
            onChange={(event) => setForm({ ...form, tileUrl: event.target.value })}
          />
        </label>
        <p className="muted">Every signed-in browser reads the style or tile URL, a key in it included: use a key the provider restricts to this site.</p>
        <label className="auth-field">
          Credit <span className="muted">(what the tiles’ makers ask to be shown)</span>
          <input
            value={form.attribution}
            placeholder="© OpenStreetMap contributors"
            onChange={(event) => setForm({ ...form, attribution: event.target.value })}
          />
        </label>
        <label className="auth-field">
          Closest zoom
          <input type="number" min={1} max={22} value={form.maxZoom} onChange={(event) => setForm({ ...form, maxZoom: Number(event.target.value) })} />
        </label>
        {status ? (
          <p role={status.error ? 'alert' : 'status'} className={status.error ? 'auth-error' : 'muted'}>
            {status.text}
          </p>
        ) : null}
        <button type="submit" className="button button-primary">
          Save map
        </button>
      </form>
    </section>
  );
}
