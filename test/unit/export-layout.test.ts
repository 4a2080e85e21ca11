// The export's pure parts: ExifTool's date form, names safe in every file system, the folders a photo goes in.
import { describe, expect, it } from 'vitest';
import { foldersOf, safeName } from '../../src/library/export/run.js';
import { exifDate, exportXmpTags, type ExportPhoto } from '../../src/library/export/sidecar.js';

const photo = (overrides: Partial<ExportPhoto['metadata']> = {}, albums: ExportPhoto['albums'] = []): ExportPhoto => ({
  id: 'p1',
  filename: 'IMG.jpg',
  sha256: 'x',
  favorite: false,
  width: 4000,
  height: 3000,
  edit: null,
  metadata: { takenAt: null, latitude: null, longitude: null, orientation: 1, rating: null, keywords: [], description: null, ...overrides },
  faces: [],
  albums,
});

describe('export layout', () => {
  it('writes dates as ExifTool reads them, the zone and fractions kept only when known', () => {
    expect(exifDate('2019-07-14T11:00:00.000+01:00')).toBe('2019:07:14 11:00:00+01:00');
    expect(exifDate('2009-08-29T13:18:08.170')).toBe('2009:08:29 13:18:08.170');
    expect(exifDate('2020-01-01T00:00:00Z')).toBe('2020:01:01 00:00:00+00:00');
    expect(exifDate('yesterday')).toBeNull();
  });

  it('makes names safe: no separators, control characters, reserved characters or a leading dot', () => {
    expect(safeName('Walks / hikes')).toBe('Walks _ hikes');
    expect(safeName('a/../b')).toBe('a_.._b');
    expect(safeName('..hidden')).toBe('_hidden');
    expect(safeName('..')).toBe('_');
    expect(safeName('a\u0000b:c*?"<>|')).toBe('a_b_c______');
    expect(safeName('   ')).toBe('_');
    expect(safeName('x'.repeat(300))).toHaveLength(200);
    // cut by bytes, whole characters, the extension kept
    const long = safeName(`${'写真'.repeat(60)}😀.jpg`);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(200);
    expect(long).toMatch(/^[写真]+\.jpg$/u);
    expect(safeName(`${'x'.repeat(300)}.jpeg`)).toBe(`${'x'.repeat(195)}.jpeg`);
  });

  it('puts a photo in each manual album’s folder, else in its day’s, else in undated', () => {
    const albums = [
      { name: 'Trip', kind: 'manual' },
      { name: 'Sunsets', kind: 'auto' },
      { name: 'Family', kind: 'manual' },
    ];
    expect(foldersOf(photo({ takenAt: '2019-07-14T11:00:00.000+01:00' }, albums), 'album')).toEqual(['Trip', 'Family']);
    expect(foldersOf(photo({ takenAt: '2019-07-14T11:00:00.000+01:00' }, albums), 'date')).toEqual(['2019/2019-07-14']);
    expect(foldersOf(photo({}, [{ name: 'Sunsets', kind: 'auto' }]), 'album')).toEqual(['undated']);
  });

  it('leaves out of a new sidecar what the photo does not have', () => {
    expect(exportXmpTags(photo())).toEqual({});
    expect(exportXmpTags(photo({ takenAt: '2019-07-14T11:00:00.000+01:00', latitude: 38.7, longitude: -9.1, rating: 3 }))).toEqual({
      'XMP-xmp:Rating': 3,
      'XMP-exif:DateTimeOriginal': '2019:07:14 11:00:00+01:00',
      'XMP-photoshop:DateCreated': '2019:07:14 11:00:00+01:00',
      'XMP-exif:GPSLatitude': 38.7,
      'XMP-exif:GPSLongitude': -9.1,
    });
  });
});
