// The built-in world map as Leaflet layers: land and borders from Natural Earth's countries, the capitals as dots
// with their names from zoom 4 on, and not at all before: a nameless dot reads as a photo, and on an empty map the
// capitals were the only marks. Everything comes from GET /api/map/basemap: no tile, font or request elsewhere.
import L from 'leaflet';
import { feature, mesh } from 'topojson-client';
import type { FeatureCollection } from 'geojson';
import type { GeometryCollection } from 'topojson-specification';
import type { Basemap } from '../../client/map.js';
import { unwrapGeometry } from './unwrap.js';

const LAND = { color: '#9aa89a', weight: 0, fillColor: '#eef0e6', fillOpacity: 1 };
const BORDERS = { color: '#9b8fa8', weight: 0.8, opacity: 0.9, dashArray: '3 3', fill: false };
const COAST = { color: '#8fb0c4', weight: 1, opacity: 1, fill: false };

/** Draws the basemap into `group` (emptied first), in its own pane under the markers. */
export function drawBasemap(map: L.Map, group: L.LayerGroup, basemap: Basemap): void {
  group.clearLayers();
  const countries = basemap.topology.objects.countries as GeometryCollection;
  const renderer = L.canvas({ padding: 0.5, pane: 'basemap' });
  const land = feature(basemap.topology, countries) as FeatureCollection;
  const shapes = land.features.map((shape) => ({ ...shape, geometry: shape.geometry && unwrapGeometry(shape.geometry) }));
  const collection: FeatureCollection = { ...land, features: shapes };
  group.addLayer(L.geoJSON(collection, { style: () => ({ ...LAND, renderer }), interactive: false, pane: 'basemap' }));
  // coastlines: arcs used by one country only; borders: arcs two countries share
  const coast = unwrapGeometry(mesh(basemap.topology, countries, (a, b) => a === b));
  const borders = unwrapGeometry(mesh(basemap.topology, countries, (a, b) => a !== b));
  group.addLayer(L.geoJSON(coast, { style: () => ({ ...COAST, renderer }), interactive: false, pane: 'basemap' }));
  group.addLayer(L.geoJSON(borders, { style: () => ({ ...BORDERS, renderer }), interactive: false, pane: 'basemap' }));
  const cities = L.layerGroup();
  for (const city of basemap.cities) {
    const dot = L.circleMarker([city.latitude, city.longitude], {
      radius: 2.5,
      color: '#5b5566',
      weight: 1,
      fillColor: '#fff',
      fillOpacity: 1,
      pane: 'basemap',
      renderer,
      interactive: false,
    });
    dot.bindTooltip(city.name, { permanent: true, direction: 'right', className: 'map-city', offset: [4, 0], pane: 'basemap-labels' });
    cities.addLayer(dot);
  }
  citiesOf.get(map)?.remove();
  citiesOf.set(map, cities);
  showCityNames(map);
}

/** Each map's capitals, shown only where their names are. */
const citiesOf = new WeakMap<L.Map, L.LayerGroup>();

/** Cities only from zoom 4, each with its name: seen from afar the names would cover the map, and bare dots look like photos. */
export function showCityNames(map: L.Map): void {
  const shown = map.getZoom() >= 4;
  map.getContainer().classList.toggle('map-names-hidden', !shown);
  const cities = citiesOf.get(map);
  if (!cities) return;
  if (shown && !map.hasLayer(cities)) cities.addTo(map);
  if (!shown && map.hasLayer(cities)) cities.remove();
}

/** The basemap's detail for a zoom: the world's below 4, a closer one from there. */
export const detailFor = (zoom: number): '110m' | '50m' => (zoom >= 4 ? '50m' : '110m');
