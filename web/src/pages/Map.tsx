import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../api.js';
import { getMapPoints, photosIn, type Box, type MapCluster } from '../client/map.js';
import type { TimelinePhoto } from '../client/library.js';
import { PhotoGrid } from '../components/PhotoGrid.js';
import { makeMap } from '../components/map/makeMap.js';
import { drawClusters } from '../components/map/clusters.js';
import { MapFilters, filterFromSearch, filterSearch } from '../components/map/MapFilters.js';
import { intoView, parseView, viewParam, visibleBox, WORLD_VIEW, type MapView } from '../components/map/view.js';
import { formatCount } from '../lib/format.js';
import { navigate, useLocation } from '../lib/router.js';
import '../styles/map.css';

/** Items listed beside the map: the newest in view (the grid is not virtualised). */
const LISTED = 60;

/**
 * Every geotagged item of the timeline on a map drawn by Shoebox alone (Natural Earth's countries, the capitals):
 * clusters with their newest thumbnail and count, a cluster zooms in, an item opens; the items in view listed
 * beside it (under it on a phone). The view and the filters live in the URL, so Back from a photo returns here.
 */
export function MapPage() {
  const { search } = useLocation();
  const filter = useMemo(() => filterFromSearch(search), [search]);
  const filterKey = filterSearch(filter);
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const [area, setArea] = useState<{ box: Box; west: number; east: number; zoom: number } | null>(null);
  const [clusters, setClusters] = useState<{ total: number; truncated: boolean } | null>(null);
  const [listed, setListed] = useState<{ items: TimelinePhoto[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  // why the admin's detailed map is not drawn whole: stays while the page does (panning does not mend it)
  const [sourceProblem, setSourceProblem] = useState<string | null>(null);
  const clusterGroup = useRef<L.LayerGroup | null>(null);

  useEffect(() => {
    document.title = 'Map · Shoebox';
  }, []);

  // the map itself, once
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const start: MapView = parseView(window.location.search) ?? WORLD_VIEW;
    const made = makeMap(element, start, { onError: setError, onSourceProblem: setSourceProblem });
    const map = made.map;
    mapRef.current = map;
    clusterGroup.current = L.layerGroup().addTo(map);
    const moved = () => {
      const bounds = map.getBounds();
      const zoom = map.getZoom();
      setArea({
        box: visibleBox(bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()),
        west: bounds.getWest(),
        east: bounds.getEast(),
        zoom,
      });
      const center = map.getCenter();
      const params = new URLSearchParams(window.location.search);
      params.set('at', viewParam({ latitude: center.lat, longitude: L.Util.wrapNum(center.lng, [-180, 180], true), zoom }));
      navigate(`/map?${params}`, { replace: true });
    };
    map.on('moveend', moved);
    moved();
    return () => {
      map.off('moveend', moved);
      made.remove();
      mapRef.current = null;
    };
  }, []);

  // the clusters and the list for the visible area and the filters
  useEffect(() => {
    const map = mapRef.current;
    if (!area || !map || !clusterGroup.current) return;
    const controller = new AbortController();
    const group = clusterGroup.current;
    const pick = (cluster: MapCluster) => {
      if (cluster.count === 1) return navigate(`/photos/${encodeURIComponent(cluster.photoId)}`);
      const [w, s, e, n] = cluster.bbox;
      const shift = intoView(cluster.longitude, area.west, area.east) - cluster.longitude; // the copy of the world in view
      if (e - w < 1e-6 && n - s < 1e-6) return map.setView([cluster.latitude, cluster.longitude + shift], Math.min(18, map.getZoom() + 3));
      map.fitBounds(
        [
          [s, w + shift],
          [n, e + shift],
        ],
        { padding: [56, 56], maxZoom: 18 },
      );
    };
    const wait = window.setTimeout(() => {
      Promise.all([getMapPoints(area.zoom, area.box, filter, controller.signal), photosIn(area.box, filter, LISTED, controller.signal)])
        .then(([points, inView]) => {
          drawClusters(group, points.clusters, area.west, area.east, pick);
          setClusters({ total: points.total, truncated: points.truncated });
          setListed(inView);
          setError(null);
        })
        .catch((reason: unknown) => {
          if (!controller.signal.aborted) setError(reason instanceof ApiError ? reason.message : 'The map could not be loaded.');
        });
    }, 60); // a pan and a zoom together ask once
    return () => {
      window.clearTimeout(wait);
      controller.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the filter is keyed by its query string
  }, [area, filterKey]);

  return (
    <div className="map-page">
      <div className="map-main">
        <MapFilters filter={filter} />
        <div ref={container} className="map-canvas" data-testid="map" role="application" aria-label="Map of your photos and videos" />
        {error ? (
          <p className="map-error" role="alert">
            {error}
          </p>
        ) : null}
        {sourceProblem ? (
          <p className="map-error" role="alert" data-testid="map-source-problem">
            {sourceProblem}
          </p>
        ) : null}
      </div>
      <section className="map-list" aria-label="Items in view" data-testid="map-list">
        <h1 className="map-list-head">
          {listed === null ? 'Loading…' : listed.total === 0 ? 'Nothing here' : `${formatCount(listed.total)} ${listed.total === 1 ? 'item' : 'items'} in view`}
        </h1>
        {clusters?.truncated ? <p className="muted">Zoom in to see every place.</p> : null}
        {listed && listed.total === 0 ? (
          <p className="muted">
            {clusters?.total === 0 ? 'None of your photos and videos that the filters keep has a location yet.' : 'Move or zoom the map to find your photos.'}
          </p>
        ) : null}
        {listed && listed.items.length > 0 ? <PhotoGrid photos={listed.items} label="Items in view" compact testId="map-items" /> : null}
        {listed && listed.total > listed.items.length ? <p className="muted">The {LISTED} newest shown: zoom in for the others.</p> : null}
      </section>
    </div>
  );
}
