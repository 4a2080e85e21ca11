// A Leaflet map over the built-in world map: its panes, its attribution, and the basemap at the detail the zoom
// needs (the world's 1:110m, the closer 1:50m once zoomed in); over it, the detailed map an admin configured. The Map
// page, a photo's small map and the location picker all start here.
import L from 'leaflet';
import { ApiError } from '../../api.js';
import { getBasemap, getMapSource } from '../../client/map.js';
import { detailFor, drawBasemap, showCityNames } from './basemap.js';
import type { MapView } from './view.js';

export interface MadeMap {
  map: L.Map;
  /** Stops loading the basemap and removes the map. */
  remove(): void;
}

export function makeMap(element: HTMLElement, view: MapView, options: { onError?: (message: string) => void; interactive?: boolean } = {}): MadeMap {
  const interactive = options.interactive ?? true;
  const map = L.map(element, {
    worldCopyJump: true,
    minZoom: 1,
    maxZoom: 18,
    zoomSnap: 1,
    preferCanvas: true,
    zoomControl: interactive,
    dragging: interactive,
    scrollWheelZoom: interactive,
    doubleClickZoom: interactive,
    boxZoom: interactive,
    keyboard: interactive,
    touchZoom: interactive,
  });
  map.createPane('basemap').style.zIndex = '200';
  map.createPane('basemap-labels').style.zIndex = '350';
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('Natural Earth · GeoNames');
  const base = L.layerGroup().addTo(map);
  const controller = new AbortController();
  // the detail drawn, and the one asked for: a coarser answer arriving late never covers a finer one drawn
  let drawn: '110m' | '50m' | null = null;
  let asked: '110m' | '50m' | null = null;
  const rank = (detail: '110m' | '50m' | null) => (detail === '50m' ? 2 : detail === '110m' ? 1 : 0);
  const loadBasemap = () => {
    showCityNames(map);
    const wanted = detailFor(map.getZoom());
    if (rank(wanted) <= Math.max(rank(drawn), rank(asked))) return; // the closer map serves far views too
    asked = wanted;
    getBasemap(wanted, controller.signal)
      .then((basemap) => {
        if (rank(wanted) <= rank(drawn)) return;
        drawn = wanted;
        drawBasemap(map, base, basemap);
      })
      .catch((reason: unknown) => {
        if (controller.signal.aborted) return;
        if (asked === wanted) asked = drawn; // asked again on the next zoom
        options.onError?.(reason instanceof ApiError ? reason.message : 'The world map could not be loaded.');
      });
  };
  map.on('zoomend', loadBasemap);
  map.setView([view.latitude, view.longitude], view.zoom);
  loadBasemap();
  // the detailed map an admin configured, over the built-in one (which stays under it, offline or not)
  void getMapSource()
    .then(async (source) => {
      if (controller.signal.aborted || source.kind === 'builtin') return;
      map.createPane('tiles').style.zIndex = '250';
      map.attributionControl.removeAttribution('Natural Earth · GeoNames');
      const layerOptions = { pane: 'tiles', maxZoom: source.maxZoom ?? 18, attribution: source.attribution };
      if (source.kind === 'tiles' && source.tileUrl) L.tileLayer(source.tileUrl, layerOptions).addTo(map);
      if (source.kind === 'style' && source.styleUrl) {
        const { styleLayer } = await import('./styleLayer.js');
        const onError = options.onError ?? (() => undefined);
        if (!controller.signal.aborted) styleLayer(source.styleUrl, { ...layerOptions, onError }).addTo(map);
      }
      if (source.kind === 'pmtiles' && source.pmtilesUrl) {
        const layer = source.format === 'vector' ? await vectorLayer(source.pmtilesUrl, layerOptions) : await rasterLayer(source.pmtilesUrl, layerOptions);
        if (!controller.signal.aborted) layer.addTo(map);
      }
    })
    .catch(() => undefined); // the built-in map is there either way
  return {
    map,
    remove() {
      controller.abort();
      map.remove();
    },
  };
}

type LayerOptions = { pane: string; maxZoom: number; attribution: string };

/** A PMTiles file of images (PNG, JPEG, WebP…), read by byte ranges from Shoebox. */
async function rasterLayer(url: string, options: LayerOptions): Promise<L.Layer> {
  const { PMTiles, leafletRasterLayer } = await import('pmtiles');
  return leafletRasterLayer(new PMTiles(url), options) as L.Layer;
}

/**
 * A PMTiles file of vector tiles (a Protomaps basemap: roads, water, buildings, place names), painted on canvases in
 * the browser with Protomaps' light style, its names in the page's language; fonts are the system's, nothing is fetched
 * but the file's ranges. protomaps-leaflet extends the global Leaflet, so it is given the one this app bundles.
 */
async function vectorLayer(url: string, options: LayerOptions): Promise<L.Layer> {
  (window as unknown as { L?: typeof L }).L ??= L;
  const { leafletLayer } = await import('protomaps-leaflet');
  const lang = (document.documentElement.lang || navigator.language || 'en').split('-')[0]!;
  return leafletLayer({ url, flavor: 'light', lang, ...options }) as unknown as L.Layer;
}
