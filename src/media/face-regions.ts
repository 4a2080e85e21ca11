// People named in a file's own metadata: face regions as digiKam, Lightroom, Picasa and Windows Photos write them.
// Pure: ExifTool's tags in, named boxes on the upright image (fractions of its width and height) out.
//
// - MWG regions (XMP mwg-rs:RegionInfo): centre X/Y and W/H, normalised, Type "Face". They describe the image as
//   stored, so the EXIF orientation turns them upright (the corpus's orientation-6 portrait: AppliedToDimensions
//   700×840 = its stored size, areas swapped). A writer that measured the upright image says so by applying its
//   dimensions to the upright size instead; those regions are taken as they are.
// - Microsoft People tags (XMP MP:RegionInfo): "x, y, w, h" from the top-left corner, of the image as displayed.
//   Read when the file has no MWG face regions.
// A name written as a hierarchy ("People/Marie Curie", "People|Marie Curie") is the person's own name, its last part.
import type { FaceRegion } from '../model/face-region.js';
import type { TagBag } from './dates.js';

export type { FaceRegion };

type Box = FaceRegion['box'];

const num = (value: unknown): number | null => {
  const n = typeof value === 'string' ? Number(value.trim()) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};

/** The person's name: trimmed, whitespace collapsed, the last part of a hierarchy; null when empty. */
export function regionPersonName(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const parts = value
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .split(/[|/\\]/)
    .map((part) => part.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  const name = parts[parts.length - 1];
  return name && name.length <= 200 ? name : null;
}

/** Keeps a box on the image (0–1), or null when nothing of it is left or it is not a box at all. */
function clamp(box: Box): Box | null {
  const x0 = Math.max(0, box.x);
  const y0 = Math.max(0, box.y);
  const x1 = Math.min(1, box.x + box.width);
  const y1 = Math.min(1, box.y + box.height);
  if (!(x1 - x0 > 0.001 && y1 - y0 > 0.001)) return null;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * A box on the stored image (fractions) as it lies on the upright image, for EXIF orientation 1–8: the same
 * turns and mirrors that show the image upright.
 */
export function orientBox(box: Box, orientation: number): Box {
  const { x, y, width: w, height: h } = box;
  switch (orientation) {
    case 2: // mirrored left–right
      return { x: 1 - x - w, y, width: w, height: h };
    case 3: // turned 180°
      return { x: 1 - x - w, y: 1 - y - h, width: w, height: h };
    case 4: // mirrored top–bottom
      return { x, y: 1 - y - h, width: w, height: h };
    case 5: // transposed: stored (x, y) shows at (y, x)
      return { x: y, y: x, width: h, height: w };
    case 6: // turned 90° clockwise to show: stored (x, y) shows at (1 − y, x)
      return { x: 1 - y - h, y: x, width: h, height: w };
    case 7: // transversed: stored (x, y) shows at (1 − y, 1 − x)
      return { x: 1 - y - h, y: 1 - x - w, width: h, height: w };
    case 8: // turned 90° counter-clockwise to show: stored (x, y) shows at (y, 1 − x)
      return { x: y, y: 1 - x - w, width: h, height: w };
    default:
      return box;
  }
}

function mwgRegions(tags: TagBag, orientation: number, stored: { width: number; height: number } | null): FaceRegion[] {
  const info = tags.RegionInfo as { AppliedToDimensions?: { W?: unknown; H?: unknown }; RegionList?: unknown } | undefined;
  const list = Array.isArray(info?.RegionList) ? (info!.RegionList as Record<string, unknown>[]) : [];
  // Written against the upright image (its width and height swapped against the stored ones): no turning.
  const appliedW = num(info?.AppliedToDimensions?.W);
  const appliedH = num(info?.AppliedToDimensions?.H);
  const turned = orientation >= 5 && orientation <= 8;
  const measuredUpright =
    turned &&
    stored !== null &&
    appliedW !== null &&
    appliedH !== null &&
    stored.width !== stored.height &&
    appliedW === stored.height &&
    appliedH === stored.width;
  const out: FaceRegion[] = [];
  for (const region of list) {
    if (typeof region !== 'object' || region === null) continue;
    const type = typeof region.Type === 'string' ? region.Type.toLowerCase() : 'face';
    if (type !== 'face') continue;
    const name = regionPersonName(region.Name);
    const area = region.Area as Record<string, unknown> | undefined;
    if (!name || !area) continue;
    const unit = typeof area.Unit === 'string' ? area.Unit.toLowerCase() : 'normalized';
    if (unit !== 'normalized') continue;
    const [cx, cy, w, h] = [num(area.X), num(area.Y), num(area.W), num(area.H)];
    if (cx === null || cy === null || w === null || h === null || w <= 0 || h <= 0) continue;
    const box = clamp(
      measuredUpright ? { x: cx - w / 2, y: cy - h / 2, width: w, height: h } : orientBox({ x: cx - w / 2, y: cy - h / 2, width: w, height: h }, orientation),
    );
    if (box) out.push({ name, box, source: 'mwg' });
  }
  return out;
}

function microsoftRegions(tags: TagBag): FaceRegion[] {
  const info = tags.RegionInfoMP as { Regions?: unknown } | undefined;
  const list = Array.isArray(info?.Regions) ? (info!.Regions as Record<string, unknown>[]) : [];
  const out: FaceRegion[] = [];
  for (const region of list) {
    if (typeof region !== 'object' || region === null) continue;
    const name = regionPersonName(region.PersonDisplayName);
    if (!name || typeof region.Rectangle !== 'string') continue;
    const [x, y, w, h] = region.Rectangle.split(',').map((part) => num(part));
    if (x == null || y == null || w == null || h == null || w <= 0 || h <= 0) continue;
    const box = clamp({ x, y, width: w, height: h });
    if (box) out.push({ name, box, source: 'microsoft' });
  }
  return out;
}

/**
 * Named face regions of a photo, on its upright image: MWG's, else Microsoft's. `orientation` is the photo's EXIF
 * orientation (1–8), `stored` its pixel size as stored (to tell which image an MWG writer measured).
 */
export function faceRegionsOf(tags: TagBag, orientation: number | null, stored: { width: number; height: number } | null): FaceRegion[] {
  const mwg = mwgRegions(tags, orientation ?? 1, stored);
  return mwg.length > 0 ? mwg : microsoftRegions(tags);
}
