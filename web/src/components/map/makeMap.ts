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

export interface MakeMapOptions {
  /** The built-in world map did not load. */
  onError?: (message: string) => void;
  /** Why the admin's detailed map is not drawn, or not whole (a style that did not load, a host the policy refuses). */
  onSourceProblem?: (message: string) => void;
  interactive?: boolean;
}

export function makeMap(element: HTMLElement, view: MapView, options: MakeMapOptions = {}): MadeMap {
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
      const layerOptions = { pane: 'tiles', maxZoom: source.maxZoom ?? 18, attribution: source.attribution };
      const problem = oneProblem(options.onSourceProblem);
      let layer: L.Layer | null = null;
      if (source.kind === 'tiles' && source.tileUrl) {
        watchPolicy(hostOf(source.tileUrl), false, problem, controller.signal);
        layer = L.tileLayer(source.tileUrl, layerOptions);
      }
      if (source.kind === 'style' && source.styleUrl) {
        watchPolicy(hostOf(source.styleUrl), true, problem, controller.signal);
        layer = (await import('./styleLayer.js')).styleLayer(source.styleUrl, { ...layerOptions, onProblem: problem });
      }
      if (source.kind === 'pmtiles' && source.pmtilesUrl) {
        layer = source.format === 'vector' ? await vectorLayer(source.pmtilesUrl, layerOptions) : await rasterLayer(source.pmtilesUrl, layerOptions);
      }
      if (!layer || controller.signal.aborted) return;
      map.createPane('tiles').style.zIndex = '250';
      layer.addTo(map);
      // the built-in map's credit goes once the detailed map (which names it with its own) is there
      map.attributionControl.removeAttribution('Natural Earth · GeoNames');
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

const hostOf = (url: string) => new URL(url.replace(/\{[a-z]\}/g, 'a')).host;

/** Tells the first problem only: a refused host refuses every tile. */
function oneProblem(tell: ((message: string) => void) | undefined): (message: string) => void {
  let told = false;
  return (message) => {
    if (told) return;
    told = true;
    tell?.(message);
  };
}

const RELOADED = 'shoebox-map-policy-reloaded';

/**
 * The page's content policy names the map's hosts as they were when the page loaded: an admin who has just named a new
 * tile server or style (here, or on another server of a cluster) finds its host refused. The page is loaded again once
 * for it; refused again, the problem is told. With `otherHosts`, a refused host the source did not name (a style asking
 * another host for its tiles or fonts) is told at once.
 */
function watchPolicy(sourceHost: string, otherHosts: boolean, problem: (message: string) => void, stop: AbortSignal): void {
  const onRefused = (event: SecurityPolicyViolationEvent) => {
    if (event.effectiveDirective !== 'connect-src' && event.effectiveDirective !== 'img-src') return;
    const host = URL.canParse(event.blockedURI) ? new URL(event.blockedURI).host : event.blockedURI;
    if (host !== sourceHost) {
      if (otherHosts) problem(`The map style asks ${host} for part of the map; only its own host (${sourceHost}) is allowed, so the map may be incomplete.`);
      return;
    }
    // once a minute at most for a host: a policy still old after the reload (another server's, for 10 s) is told
    const [lastHost, at] = (sessionStorage.getItem(RELOADED) ?? '').split(' ');
    if (lastHost !== sourceHost || Date.now() - Number(at) > 60_000) {
      sessionStorage.setItem(RELOADED, `${sourceHost} ${Date.now()}`);
      return window.location.reload();
    }
    problem(`The page does not allow ${sourceHost} yet (the map's settings changed a moment ago): reload the page in a few seconds.`);
  };
  document.addEventListener('securitypolicyviolation', onRefused);
  stop.addEventListener('abort', () => document.removeEventListener('securitypolicyviolation', onRefused), { once: true });
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
