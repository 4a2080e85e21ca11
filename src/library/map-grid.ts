// The map's clustering grid, pure: one cell is CLUSTER_PIXELS wide on screen at its zoom.

/** Web Mercator stops here: the map shows nothing nearer the poles, and a point there is drawn at its edge. */
export const MERCATOR_MAX_LATITUDE = 85.05112878;

/** How wide a cluster is on screen, in CSS pixels (a thumbnail marker is 48). */
export const CLUSTER_PIXELS = 64;

/** One grid cell as a fraction of the world's width (the Mercator plane is 1 × 1) at a zoom of 256 px tiles. */
export function clusterCellSize(zoom: number): number {
  return CLUSTER_PIXELS / (256 * 2 ** zoom);
}
