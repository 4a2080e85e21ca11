// The map's clusters as Leaflet markers: the newest item's thumbnail with the count, where one looks.
import L from 'leaflet';
import { photoUrls } from '../../api.js';
import type { MapCluster } from '../../client/map.js';
import { formatCount } from '../../lib/format.js';
import { intoView } from './view.js';

/** Replaces the markers in `group` with the clusters, placed in the view's copy of the world. */
export function drawClusters(group: L.LayerGroup, clusters: readonly MapCluster[], west: number, east: number, onPick: (cluster: MapCluster) => void): void {
  group.clearLayers();
  for (const cluster of clusters) {
    const label = cluster.count === 1 ? 'Open this item' : `${formatCount(cluster.count)} items here: zoom in`;
    const icon = L.divIcon({
      className: `map-cluster${cluster.count === 1 ? ' map-cluster-one' : ''}`,
      html: `<img src="${photoUrls.thumbnail(cluster.photoId)}" alt="" loading="lazy" />${cluster.count > 1 ? `<span class="map-cluster-count">${formatCount(cluster.count)}</span>` : ''}`,
      iconSize: [48, 48],
      iconAnchor: [24, 24],
    });
    const marker = L.marker([cluster.latitude, intoView(cluster.longitude, west, east)], { icon, title: label, alt: label, keyboard: true, riseOnHover: true });
    marker.on('click', () => onPick(cluster));
    marker.on('add', () => {
      const element = marker.getElement();
      element?.setAttribute('data-count', String(cluster.count));
      element?.setAttribute('data-photo-id', cluster.photoId);
      element?.setAttribute('aria-label', label);
    });
    group.addLayer(marker);
  }
}
