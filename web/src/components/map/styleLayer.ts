// A MapLibre style an admin named (PUT /api/admin/map `styleUrl`), drawn with WebGL inside the Leaflet map: loaded only
// when one is configured. The build resolves `maplibre-gl` to its CSP build (web/vite.config.ts), whose worker is a file
// Shoebox serves, so the content policy needs no `blob:` worker and no eval.
import type L from 'leaflet';
import { setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-csp-worker.js?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { maplibreGL } from '@maplibre/maplibre-gl-leaflet';

setWorkerUrl(workerUrl);

export interface StyleLayerOptions {
  pane: string;
  maxZoom: number;
  attribution: string;
  /** Why the style is not drawn, or not whole, for the page to show (its host named, never its URL and key). */
  onProblem(message: string): void;
}

/** The style's map as a Leaflet layer, its credits first, then the admin's and the built-in map's. */
export function styleLayer(styleUrl: string, options: StyleLayerOptions): L.Layer {
  const styleHost = new URL(styleUrl).host;
  const layer = maplibreGL({ style: styleUrl, maxZoom: options.maxZoom });
  layer.options.pane = options.pane;
  // the credits the style's sources carry ("© OpenMapTiles © OpenStreetMap contributors"), then the admin's and ours
  const fromStyle = (layer.getAttribution ?? (() => null)).bind(layer);
  layer.getAttribution = () => [fromStyle(), options.attribution].filter(Boolean).join(' · ');
  layer.on('add', () => {
    const glMap = layer.getMaplibreMap();
    let styleArrived = false;
    glMap.once('style.load', () => (styleArrived = true));
    glMap.on('error', (event: { error?: { message?: string; url?: string; status?: number } }) => {
      const url = event.error?.url;
      const host = url && URL.canParse(url) ? new URL(url).host : null;
      // a fetch the page's policy refused fails here before its violation is reported: named by its host either way
      if (host && host !== styleHost) {
        return options.onProblem(`The map style asks ${host} for part of the map; only its own host (${styleHost}) is allowed, so the map may be incomplete.`);
      }
      // one missing tile, glyph or icon of the style's own host leaves the rest of the map: only the style itself counts
      if (url === styleUrl || !styleArrived) {
        const why = event.error?.status ? `it answered ${event.error.status}` : 'it could not be reached';
        options.onProblem(`The map style from ${styleHost} could not be loaded (${why}).`);
      }
    });
  });
  return layer;
}
