// The pure side of rotate and crop: the canonical edit, sizes, boxes between the upright original and the edited
// image, and the edit as other tools read it from a sidecar (EXIF orientation composed, the crop on the stored image).
import { describe, expect, it } from 'vitest';
import { composedOrientation, editTags, storedBox } from '../../src/media/edit-xmp.js';
import { activeEdit, cropPixels, editedSize, fromEdited, normaliseEdit, toEdited, type PhotoEdit, type QuarterTurn } from '../../src/model/photo-edit.js';

const close = (a: { x: number; y: number; width: number; height: number }, b: typeof a) => {
  for (const key of ['x', 'y', 'width', 'height'] as const) expect(a[key], key).toBeCloseTo(b[key], 9);
};

describe('the canonical edit', () => {
  it('keeps quarter turns in [0, 360), crops inside the image, and nothing for no change', () => {
    expect(normaliseEdit({ rotate: -90 })).toEqual({ rotate: 270, crop: null });
    expect(normaliseEdit({ rotate: 450 })).toEqual({ rotate: 90, crop: null });
    expect(normaliseEdit({ rotate: 360, crop: { x: 0, y: 0, width: 1, height: 1 } })).toBeNull();
    expect(normaliseEdit({ crop: { x: 0.9, y: 0.5, width: 0.5, height: 0.001 } })).toEqual({ rotate: 0, crop: { x: 0.9, y: 0.5, width: 0.1, height: 0.02 } });
    expect(activeEdit({ rotate: 0, crop: null })).toBeNull();
  });

  it('sizes the edited image in pixels of the original', () => {
    expect(editedSize({ width: 4000, height: 3000 }, { rotate: 90, crop: null })).toEqual({ width: 3000, height: 4000 });
    expect(editedSize({ width: 4000, height: 3000 }, { rotate: 270, crop: { x: 0.25, y: 0, width: 0.5, height: 0.5 } })).toEqual({ width: 1500, height: 2000 });
    expect(cropPixels({ width: 10, height: 10 }, { x: 0.96, y: 0.96, width: 0.04, height: 0.04 })).toEqual({ left: 10 - 1, top: 9, width: 1, height: 1 });
  });
});

describe('boxes through an edit', () => {
  const face = { x: 0.1, y: 0.2, width: 0.2, height: 0.3 };
  it('turns a box clockwise: a face at the left comes to the top', () => {
    close(toEdited(face, { rotate: 90, crop: null })!, { x: 0.5, y: 0.1, width: 0.3, height: 0.2 });
    close(toEdited(face, { rotate: 180, crop: null })!, { x: 0.7, y: 0.5, width: 0.2, height: 0.3 });
    close(toEdited(face, { rotate: 270, crop: null })!, { x: 0.2, y: 0.7, width: 0.3, height: 0.2 });
  });

  it('comes back to where it was through every turn and crop', () => {
    for (const rotate of [0, 90, 180, 270] as QuarterTurn[]) {
      const edit: PhotoEdit = { rotate, crop: { x: 0.05, y: 0.05, width: 0.9, height: 0.9 } };
      close(fromEdited(toEdited(face, edit)!, edit), face);
    }
  });

  it('drops a box cropped mostly away', () => {
    expect(toEdited(face, { rotate: 0, crop: { x: 0.25, y: 0, width: 0.75, height: 1 } })).toBeNull();
    expect(toEdited(face, { rotate: 0, crop: { x: 0.15, y: 0, width: 0.85, height: 1 } })).not.toBeNull();
  });
});

describe('the edit in a sidecar', () => {
  it('composes the turn with the file’s own orientation, mirrors kept', () => {
    expect(composedOrientation(null, 90)).toBe(6);
    expect(composedOrientation(6, 90)).toBe(3);
    expect(composedOrientation(8, 90)).toBe(1);
    expect(composedOrientation(2, 90)).toBe(7);
    expect(composedOrientation(5, 180)).toBe(7);
  });

  it('puts the crop on the image as stored', () => {
    // turned clockwise, the right half of the turned image is the top half of the stored one
    close(storedBox({ x: 0.5, y: 0, width: 0.5, height: 1 }, 1, 90), { x: 0, y: 0, width: 1, height: 0.5 });
    // a file stored on its side (orientation 6: turned clockwise to stand) and not turned further: its stored top
    // is the upright right side, its stored bottom the upright left
    close(storedBox({ x: 0.5, y: 0, width: 0.5, height: 1 }, 6, 0), { x: 0, y: 0, width: 1, height: 0.5 });
    close(storedBox({ x: 0, y: 0, width: 0.5, height: 1 }, 6, 0), { x: 0, y: 0.5, width: 1, height: 0.5 });
    // mirrored: left and right swap
    close(storedBox({ x: 0, y: 0, width: 0.25, height: 1 }, 2, 0), { x: 0.75, y: 0, width: 0.25, height: 1 });
  });

  it('writes a turn and a crop, clears only what the edit before had', () => {
    expect(editTags({ rotate: 90, crop: { x: 0.5, y: 0, width: 0.5, height: 1 } }, null)).toEqual({
      'XMP-tiff:Orientation#': 6,
      'XMP-crs:HasCrop': true,
      'XMP-crs:CropLeft': 0,
      'XMP-crs:CropTop': 0,
      'XMP-crs:CropRight': 1,
      'XMP-crs:CropBottom': 0.5,
      'XMP-crs:CropAngle': 0,
    });
    // a crop alone leaves another tool's orientation where it is
    expect(Object.keys(editTags({ rotate: 0, crop: { x: 0, y: 0, width: 0.5, height: 1 } }, 6))).not.toContain('XMP-tiff:Orientation#');
    const base = { width: 10, height: 10 };
    // taken back: what Shoebox had written goes, nothing else
    expect(editTags({ rotate: 0, crop: null, base, clears: { orientation: true, crop: false } }, 6)).toEqual({ 'XMP-tiff:Orientation#': null });
    const undone = editTags({ rotate: 0, crop: null, base, clears: { orientation: true, crop: true } }, 6);
    expect(Object.values(undone).every((value) => value === null)).toBe(true);
    expect(Object.keys(undone)).toHaveLength(7);
    expect(editTags({ rotate: 0, crop: null, base }, 6)).toEqual({});
  });
});
