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
  /** A reason the style cannot be drawn (it did not load, or asks a host the policy refuses), for the page to show. */
  onError(message: string): void;
}

/** The style's map as a Leaflet layer; `remove()` stops listening for what the policy refuses. */
export function styleLayer(styleUrl: string, options: StyleLayerOptions): L.Layer {
  const styleHost = new URL(styleUrl).host;
  let told = false;
  const tell = (message: string) => {
    if (told) return; // one reason is enough: a refused host refuses every tile
    told = true;
    options.onError(message);
  };
  // the web app may load the map from the style's host alone: a style naming others (tiles, glyphs elsewhere) is told
  const refused = (host: string) =>
    tell(`The map style asks ${host} for part of the map; only the style's own host (${styleHost}) is allowed, so the map may be incomplete.`);
  const onRefused = (event: SecurityPolicyViolationEvent) => {
    if (event.effectiveDirective !== 'connect-src' && event.effectiveDirective !== 'img-src') return;
    refused(URL.canParse(event.blockedURI) ? new URL(event.blockedURI).host : event.blockedURI);
  };
  document.addEventListener('securitypolicyviolation', onRefused);
  const layer = maplibreGL({ style: styleUrl, maxZoom: options.maxZoom });
  layer.options.pane = options.pane;
  // the credits the style's sources carry ("© OpenMapTiles © OpenStreetMap contributors"), then the admin's and ours
  const fromStyle = (layer.getAttribution ?? (() => null)).bind(layer);
  layer.getAttribution = () => [fromStyle(), options.attribution].filter(Boolean).join(' · ');
  layer.on('remove', () => document.removeEventListener('securitypolicyviolation', onRefused));
  layer.on('add', () => {
    layer.getMaplibreMap().on('error', (event: { error?: { message?: string; url?: string } }) => {
      // a fetch the policy refused fails before its violation is reported: named by its host either way
      const url = event.error?.url;
      if (url && URL.canParse(url) && new URL(url).host !== styleHost) return refused(new URL(url).host);
      tell(`The map style ${styleUrl} could not be drawn: ${event.error?.message ?? 'it did not load'}.`);
    });
  });
  return layer;
}
