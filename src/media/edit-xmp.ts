// An edit as other photo tools read it from an XMP sidecar: the orientation after the turn (tiff:Orientation, the
// file's own EXIF orientation composed with it) and the crop as Camera Raw and Lightroom keep it (crs:Crop*, as
// fractions of the image as stored, before any orientation; CropAngle 0: Shoebox does not straighten).
import { turnBox, UNDO_TURN, type PhotoEdit, type QuarterTurn, type StoredEdit, type UnitBox } from '../model/photo-edit.js';

/** EXIF orientation → what turns the stored image upright: a mirror (left–right) first, then clockwise turns. */
const ORIENTATIONS: Record<number, { turn: QuarterTurn; mirror: boolean }> = {
  1: { turn: 0, mirror: false },
  2: { turn: 0, mirror: true },
  3: { turn: 180, mirror: false },
  4: { turn: 180, mirror: true },
  5: { turn: 270, mirror: true },
  6: { turn: 90, mirror: false },
  7: { turn: 90, mirror: true },
  8: { turn: 270, mirror: false },
};

/** The EXIF orientation of the file turned further by `rotate`. */
export function composedOrientation(orientation: number | null, rotate: QuarterTurn): number {
  const from = ORIENTATIONS[orientation ?? 1] ?? ORIENTATIONS[1]!;
  const turn = ((from.turn + rotate) % 360) as QuarterTurn;
  const found = Object.entries(ORIENTATIONS).find(([, o]) => o.turn === turn && o.mirror === from.mirror);
  return Number(found![0]);
}

/** A box on the turned, upright image, on the image as stored (the crop's frame in crs:Crop*). */
export function storedBox(box: UnitBox, orientation: number | null, rotate: QuarterTurn): UnitBox {
  const from = ORIENTATIONS[orientation ?? 1] ?? ORIENTATIONS[1]!;
  const turn = ((from.turn + rotate) % 360) as QuarterTurn;
  const unturned = turnBox(box, UNDO_TURN[turn]);
  return from.mirror ? { ...unturned, x: 1 - unturned.x - unturned.width } : unturned;
}

const round = (value: number) => Math.round(Math.min(1, Math.max(0, value)) * 1e6) / 1e6;

const CROP_TAGS = ['XMP-crs:HasCrop', 'XMP-crs:CropLeft', 'XMP-crs:CropTop', 'XMP-crs:CropRight', 'XMP-crs:CropBottom', 'XMP-crs:CropAngle'];

/**
 * The sidecar tags for an edit: its turn and its crop; null (a deletion) only for what the edit before it had and
 * it has not (`clears`), so that another tool's orientation or crop stays where Shoebox never wrote one.
 */
export function editTags(edit: StoredEdit | PhotoEdit, orientation: number | null): Record<string, unknown> {
  const clears = 'clears' in edit ? edit.clears : undefined;
  const tags: Record<string, unknown> = {};
  if (edit.rotate !== 0) tags['XMP-tiff:Orientation#'] = composedOrientation(orientation, edit.rotate);
  else if (clears?.orientation) tags['XMP-tiff:Orientation#'] = null;
  if (edit.crop) {
    const box = storedBox(edit.crop, orientation, edit.rotate);
    Object.assign(tags, {
      'XMP-crs:HasCrop': true,
      'XMP-crs:CropLeft': round(box.x),
      'XMP-crs:CropTop': round(box.y),
      'XMP-crs:CropRight': round(box.x + box.width),
      'XMP-crs:CropBottom': round(box.y + box.height),
      'XMP-crs:CropAngle': 0,
    });
  } else if (clears?.crop) {
    for (const tag of CROP_TAGS) tags[tag] = null;
  }
  return tags;
}
