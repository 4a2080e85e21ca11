import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ExifTool } from 'exiftool-vendored';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractEmbeddedPreview } from '../../src/media/embedded-preview.js';
import { closeMetadataReader } from '../../src/media/exiftool-reader.js';
import { keywordsOf, metadataFromTags, placeOf } from '../../src/media/metadata-tags.js';
import { readMetadata } from '../../src/media/metadata.js';
import { findSidecar } from '../../src/media/xmp-sidecar.js';
import { resolvePlace } from '../../src/media/places.js';
import { assets } from '../helpers/corpus.js';

const ASSETS = assets;
const META = path.join(ASSETS, 'metadata');
const asset = (rel: string) => path.join(META, rel);

let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'shoebox-metadata-'));
});

afterAll(async () => {
  await closeMetadataReader();
  await closeMetadataReader(); // safe twice
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** Copies `src` into its own folder under the temp dir as `name`, with `sidecars` ({name: source}). */
async function stage(dir: string, src: string, name: string, sidecars: Record<string, string> = {}): Promise<string> {
  const d = path.join(tmp, dir);
  await mkdir(d, { recursive: true });
  const file = path.join(d, name);
  await copyFile(src, file);
  for (const [sidecarName, sidecarSrc] of Object.entries(sidecars)) await copyFile(sidecarSrc, path.join(d, sidecarName));
  return file;
}

describe('corpus: metadata/dates', () => {
  it('date-priority-test.jpg: DateTimeOriginal wins, no zone', async () => {
    // Tags: EXIF DateTimeOriginal 2023:02:02 02:00, EXIF CreateDate 2023:04:04, XMP-pdf CreationDate
    // 2023:05:05, XMP-exif GPSDateTime 2023:08:08, GPSDateStamp 2023:10:10 and IPTC TimeCreated 07:00+00:00
    // (no DateCreated). DateTimeOriginal is the shutter time and has the highest priority present.
    // No OffsetTime* tags, no GPS position: the zone is unknown, so takenAt is a bare wall-clock time.
    const m = await readMetadata(asset('dates/date-priority-test.jpg'));
    expect(m.takenAt).toBe('2023-02-02T02:00:00.000');
    expect(m.timeZone).toBeNull();
    expect(m).toMatchObject({ latitude: null, longitude: null, width: 100, height: 100, mimeFromExif: 'image/jpeg' });
  });

  it('datetimeoriginal-gps.jpg: wall-clock DateTimeOriginal zoned by GPS', async () => {
    // DateTimeOriginal 2025:12:01 11:30:00 without offset; GPS 39°N 108°W is western Colorado, zone
    // America/Denver, which in December is MST (-07:00).
    const m = await readMetadata(asset('dates/datetimeoriginal-gps.jpg'));
    expect(m.takenAt).toBe('2025-12-01T11:30:00.000-07:00');
    expect(m.timeZone).toBe('America/Denver');
    expect(m.latitude).toBe(39);
    expect(m.longitude).toBe(-108);
  });

  it('gps-datetime.jpg: the UTC GPSDateTime shown in the GPS zone', async () => {
    // Only date: XMP-exif GPSDateTime 2023:11:15 12:30:00Z (UTC by definition). GPS 37.7749,-122.4194
    // is San Francisco: America/Los_Angeles, PST (-08:00) in November, so the local time is 04:30.
    const m = await readMetadata(asset('dates/gps-datetime.jpg'));
    expect(m.takenAt).toBe('2023-11-15T04:30:00.000-08:00');
    expect(m.timeZone).toBe('America/Los_Angeles');
    expect(m.latitude).toBeCloseTo(37.7749, 6);
    expect(m.longitude).toBeCloseTo(-122.4194, 6);
  });

  it('time-created.jpg: a time of day alone is no date', async () => {
    // Only IPTC TimeCreated 14:30:00+00:00, no DateCreated: there is no day to put it on.
    const m = await readMetadata(asset('dates/time-created.jpg'));
    expect(m.takenAt).toBeNull();
    expect(m.timeZone).toBeNull();
    expect(m.make).toBe('Canon');
    expect(m.model).toBe('EOS R5');
  });
});

describe('corpus: metadata/gps-position', () => {
  it('thompson-springs.jpg: GPS, keywords, caption, lens', async () => {
    const m = await readMetadata(asset('gps-position/thompson-springs.jpg'));
    // GPS 39° 6' 54.00" N, 108° 24' 3.486" W (exiftool -n: 39.115, -108.400968333333).
    expect(m.latitude).toBeCloseTo(39.115, 5);
    expect(m.longitude).toBeCloseTo(-108.400968, 5);
    // Dates disagree in this file: XMP photoshop:DateCreated / xmp:CreateDate 2022:01:10 15:15:44.31 (no
    // offset; the MWG DateTimeOriginal composite), IPTC 15:15:44-04:00, GPS 21:15:33.519Z. The MWG
    // DateTimeOriginal wins; it has no offset and there are no offset tags, so the GPS zone
    // (America/Denver, MST -07:00 in January) applies. (The camera clock was on MDT: 15:15 -06:00 is
    // the GPS's 21:15Z; the IPTC -04:00 is wrong either way.)
    expect(m.takenAt).toBe('2022-01-10T15:15:44.310-07:00');
    expect(m.timeZone).toBe('America/Denver');
    expect(m.keywords).toEqual(['carol m. highsmith', 'america', 'utah', 'utah winter scenes', 'thompson springs']);
    expect(m.description).toBe(
      'Early winter scene in the mostly barren, lightly occupied quarter of southeastern Utah, near the remote settlement of Thompson Springs in the western U.S. state of Utah.',
    );
    expect(m.lens).toBe('Canon EF 24-105mm f/4L IS II USM'); // XMP-aux:Lens
    expect(m).toMatchObject({ orientation: 1, make: null, model: null, rating: null, width: 150, height: 103 });
  });

  it('empty_gps.jpg: empty GPS tags give no position', async () => {
    // GPSLatitude/GPSLongitude are present but empty (refs "Unknown ()").
    const m = await readMetadata(asset('gps-position/empty_gps.jpg'));
    expect(m.latitude).toBeNull();
    expect(m.longitude).toBeNull();
    // SubSecDateTimeOriginal 2025:06:01 16:59:26.023460; no offsets and no position: no zone.
    expect(m.takenAt).toBe('2025-06-01T16:59:26.023');
    expect(m.timeZone).toBeNull();
    expect(m).toMatchObject({ make: 'motorola', model: 'moto g(9) plus', orientation: 1, width: 4640, height: 3472 });
  });
});

describe('places: location names and geocoding', () => {
  it("thompson-springs.jpg: the file's own names win over its GPS position", async () => {
    // IPTC City / Province-State / Country-PrimaryLocationName and XMP-photoshop City / State / Country
    // all say Thompson Springs, Utah, United States; no country code.
    const m = await readMetadata(asset('gps-position/thompson-springs.jpg'));
    expect(m.place).toEqual({ city: 'Thompson Springs', state: 'Utah', country: 'United States', countryCode: null });
    expect(await resolvePlace(m.place, m)).toEqual({
      city: 'Thompson Springs',
      state: 'Utah',
      country: 'United States',
      countryCode: 'US', // from the name
      source: 'metadata',
    });
    // Its GPS position (39.115, -108.401) is not in Utah at all: it is 4 km from Palisade, Colorado,
    // ~115 km east of Thompson Springs. That is what it would be called without the names.
    expect(await resolvePlace(null, m)).toEqual({
      city: 'Palisade',
      state: 'Colorado',
      country: 'United States',
      countryCode: 'US',
      source: 'geocoded',
    });
  });

  it('photos with GPS and no names get the nearest town', async () => {
    const denver = await readMetadata(asset('dates/datetimeoriginal-gps.jpg')); // 39° N 108° W
    expect(denver.place).toBeNull();
    expect(await resolvePlace(denver.place, denver)).toMatchObject({
      city: 'Cedaredge',
      state: 'Colorado',
      countryCode: 'US',
      source: 'geocoded',
    });
    const sf = await readMetadata(asset('dates/gps-datetime.jpg')); // 37.7749, -122.4194
    expect(await resolvePlace(sf.place, sf)).toEqual({
      city: 'San Francisco',
      state: 'California',
      country: 'United States',
      countryCode: 'US',
      source: 'geocoded',
    });
  });

  it('photos with neither have no place', async () => {
    const m = await readMetadata(asset('dates/date-priority-test.jpg'));
    expect(m.place).toBeNull();
    expect(await resolvePlace(m.place, m)).toBeNull();
  });

  describe('written names', () => {
    let writer: ExifTool;
    beforeAll(() => {
      writer = new ExifTool({ maxProcs: 1 });
    });
    afterAll(async () => {
      await writer.end();
    });

    it('reads XMP-iptcExt LocationCreated / LocationShown and the IPTC code', async () => {
      // No corpus file has these: write them into a copy of picasa.jpg (which has no location).
      const file = await stage('iptc-ext', asset('tags/picasa.jpg'), 'lyon.jpg');
      await writer.write(
        file,
        {},
        {
          writeArgs: [
            '-overwrite_original',
            '-XMP-iptcExt:LocationCreatedCity=Lyon',
            '-XMP-iptcExt:LocationCreatedProvinceState=Auvergne-Rhône-Alpes',
            '-XMP-iptcExt:LocationShownCity=Villeurbanne',
            '-XMP-iptcExt:LocationShownCountryName=France',
            '-XMP-iptcExt:LocationShownCountryCode=fr',
          ],
        },
      );
      const m = await readMetadata(file, { sidecar: null });
      // Where it was taken (LocationCreated) first; what the photo shows fills what that lacks.
      expect(m.place).toEqual({ city: 'Lyon', state: 'Auvergne-Rhône-Alpes', country: 'France', countryCode: 'FR' });
      expect((await resolvePlace(m.place, m))?.source).toBe('metadata');
    });

    it('reads the legacy fields first, and completes the country from a code', async () => {
      const file = await stage('iptc-legacy', asset('tags/picasa.jpg'), 'nice.jpg');
      await writer.write(
        file,
        {},
        {
          writeArgs: [
            '-overwrite_original',
            '-IPTC:City=Nice',
            '-XMP-photoshop:City=Nice',
            '-IPTC:Province-State=---', // a placeholder, not a name
            '-XMP-iptcCore:CountryCode=FR',
            '-XMP-iptcExt:LocationShownCity=Monaco',
          ],
        },
      );
      const m = await readMetadata(file, { sidecar: null });
      expect(m.place).toEqual({ city: 'Nice', state: null, country: null, countryCode: 'FR' });
      expect(await resolvePlace(m.place, m)).toEqual({
        city: 'Nice',
        state: null,
        country: 'France',
        countryCode: 'FR',
        source: 'metadata',
      });
    });

    it("takes a sidecar's place whole", async () => {
      const file = await stage('place-sidecar', asset('gps-position/thompson-springs.jpg'), 'ts.jpg');
      const xmp = path.join(path.dirname(file), 'ts.jpg.xmp');
      await writer.write(xmp, { City: 'Grand Junction', State: 'Colorado' });
      const m = await readMetadata(file);
      // Not "Grand Junction, Colorado, United States": the file's country is not mixed in.
      expect(m.place).toEqual({ city: 'Grand Junction', state: 'Colorado', country: null, countryCode: null });
      expect((await readMetadata(file, { sidecar: null })).place?.city).toBe('Thompson Springs');
    });
  });

  it('placeOf: structures, flattened names and junk', () => {
    expect(placeOf({})).toBeNull();
    expect(placeOf({ City: ' - ', Country: '?' })).toBeNull();
    expect(placeOf({ LocationShown: { City: 'Kyoto', CountryCode: 'jp' } })).toEqual({
      city: 'Kyoto',
      state: null,
      country: null,
      countryCode: 'JP',
    });
    expect(placeOf({ LocationCreatedCity: 'Oslo', 'Country-PrimaryLocationName': 'Norway', 'Country-PrimaryLocationCode': 'NOR' })).toEqual({
      city: 'Oslo',
      state: null,
      country: 'Norway',
      countryCode: 'NOR',
    });
  });
});

describe('corpus: metadata/faces', () => {
  const people = ['Marie Curie', 'Pierre Curie', 'People/Marie Curie', 'People/Pierre Curie'];

  it('portrait-orientation-6.jpg: orientation 6 as a number', async () => {
    // Stored 700×840 on its side; rotated 90° CW it reads upright (checked by eye).
    const m = await readMetadata(asset('faces/portrait-orientation-6.jpg'));
    expect(m.orientation).toBe(6);
    expect(m).toMatchObject({ width: 700, height: 840, takenAt: null, timeZone: null });
    // IPTC Keywords / dc:subject flat, HierarchicalSubject "People|Marie Curie" → "People/Marie Curie";
    // TagsList and LastKeywordXMP repeat the hierarchical ones and are de-duplicated.
    expect(m.keywords).toEqual(people);
  });

  it('portrait.jpg: no orientation tag', async () => {
    const m = await readMetadata(asset('faces/portrait.jpg'));
    expect(m.orientation).toBeNull();
    expect(m).toMatchObject({ width: 840, height: 700, keywords: people, description: null });
  });
});

describe('corpus: metadata/rating and metadata/tags', () => {
  it('mongolels.jpg: rating 3', async () => {
    // EXIF/XMP Rating 3 (RatingPercent 50 agrees).
    const m = await readMetadata(asset('rating/mongolels.jpg'));
    expect(m.rating).toBe(3);
    expect(m.description).toBe('Mongol Els');
    expect(m).toMatchObject({ make: 'Canon', model: 'Canon EOS 500D', orientation: 1, keywords: [] });
    // SubSecDateTimeOriginal 2009:08:29 13:18:08.17 (SubSecTimeOriginal "17" = 0.17 s; Photoshop's
    // DateCreated says .017, a misreading). No offsets, no GPS.
    expect(m.takenAt).toBe('2009-08-29T13:18:08.170');
    expect(m.timeZone).toBeNull();
  });

  it('picasa.jpg: Picasa keywords (IPTC)', async () => {
    const m = await readMetadata(asset('tags/picasa.jpg'));
    expect(m.keywords).toEqual(['Frost', 'Yard']);
    expect(m.description).toBe('Image-Description');
    expect(m).toMatchObject({ make: 'Canon', model: 'Canon PowerShot SD1100 IS', orientation: 1 });
    // LensType "n/a" and LensID "Unknown 6-18mm" are skipped; ExifTool's Lens composite remains.
    expect(m.lens).toBe('6.2 - 18.6 mm');
    expect(m.takenAt).toBe('2010-02-13T14:55:31.000');
  });

  it('covers every file in metadata/', async () => {
    const covered = new Set([
      'dates/date-priority-test.jpg',
      'dates/datetimeoriginal-gps.jpg',
      'dates/gps-datetime.jpg',
      'dates/time-created.jpg',
      'gps-position/empty_gps.jpg',
      'gps-position/thompson-springs.jpg',
      'faces/portrait-orientation-6.jpg',
      'faces/portrait.jpg',
      'rating/mongolels.jpg',
      'tags/picasa.jpg',
      'xmp/dates/2000.xmp',
      'xmp/dates/2010.xmp',
      'xmp/dates/2020.xmp',
    ]);
    const found = (await readdir(META, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => path.relative(META, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
    expect(found.sort()).toEqual([...covered].sort());
  });
});

describe('XMP sidecars', () => {
  // The three sidecars are UTF-16LE Lightroom XMP with only xmp:CreateDate/ModifyDate/MetadataDate,
  // e.g. 2000-09-27T14:35:33+02:00. picasa.jpg's own DateTimeOriginal is 2010:02:13 14:55:31.
  for (const year of ['2000', '2010', '2020']) {
    it(`${year}.xmp beside ${year}.jpg: the sidecar's date wins`, async () => {
      const xmp = asset(`xmp/dates/${year}.xmp`);
      const file = await stage(`dates-${year}`, asset('tags/picasa.jpg'), `${year}.jpg`, { [`${year}.xmp`]: xmp });
      expect(await findSidecar(file)).toBe(path.join(path.dirname(file), `${year}.xmp`));
      const m = await readMetadata(file);
      expect(m.takenAt).toBe(`${year}-09-27T14:35:33.000+02:00`);
      expect(m.timeZone).toBe('+02:00');
      // Everything the sidecar lacks still comes from the file.
      expect(m).toMatchObject({ keywords: ['Frost', 'Yard'], description: 'Image-Description', make: 'Canon' });
      // sidecar: null turns the lookup off.
      expect((await readMetadata(file, { sidecar: null })).takenAt).toBe('2010-02-13T14:55:31.000');
    });
  }

  it('photo.jpg.xmp beats photo.xmp, and the explicit sidecar offset beats the GPS zone', async () => {
    const file = await stage('naming', asset('dates/datetimeoriginal-gps.jpg'), 'photo.jpg', {
      'photo.jpg.xmp': asset('xmp/dates/2020.xmp'),
      'photo.xmp': asset('xmp/dates/2010.xmp'),
    });
    expect(await findSidecar(file)).toBe(`${file}.xmp`);
    const m = await readMetadata(file);
    // The file is in America/Denver by GPS (MDT -06:00 in September), but the sidecar says +02:00.
    expect(m.takenAt).toBe('2020-09-27T14:35:33.000+02:00');
    expect(m.timeZone).toBe('+02:00');
    expect(m.latitude).toBe(39);
    // An explicit sidecar path is used as given.
    expect((await readMetadata(file, { sidecar: path.join(path.dirname(file), 'photo.xmp') })).takenAt).toBe('2010-09-27T14:35:33.000+02:00');
  });

  it('finds upper-case .XMP, and name.xmp when there is no name.ext.xmp', async () => {
    const upper = await stage('upper', asset('tags/picasa.jpg'), 'IMG_1.JPG', { 'IMG_1.JPG.XMP': asset('xmp/dates/2000.xmp') });
    expect(path.basename((await findSidecar(upper)) ?? '')).toMatch(/^IMG_1\.JPG\.(xmp|XMP)$/);
    const stem = await stage('stem', asset('tags/picasa.jpg'), 'IMG_2.JPG', { 'IMG_2.XMP': asset('xmp/dates/2000.xmp') });
    expect(path.basename((await findSidecar(stem)) ?? '')).toMatch(/^IMG_2\.(xmp|XMP)$/);
    expect((await readMetadata(stem)).takenAt).toBe('2000-09-27T14:35:33.000+02:00');
    const none = await stage('none', asset('tags/picasa.jpg'), 'IMG_3.jpg');
    expect(await findSidecar(none)).toBeNull();
    expect(await findSidecar(asset('xmp/dates/2000.xmp'))).toBeNull();
  });

  it('problems/xmp/iso-value-array: reads the sidecar alone and merged, field by field', async () => {
    const xmp = path.join(ASSETS, 'problems/xmp/iso-value-array/iso-value-array.xmp');
    // Exiv2-written XMP: ISOSpeedRatings is an rdf:Seq, GPS "40,14.0786450N" / "76,17.2284900W",
    // dates 2009-11-28T13:42:39 without offset, a whitespace-only dc:description.
    const alone = await readMetadata(xmp);
    expect(alone.latitude).toBeCloseTo(40.234644, 5);
    expect(alone.longitude).toBeCloseTo(-76.287141, 5);
    // Pennsylvania: America/New_York, EST (-05:00) in November.
    expect(alone).toMatchObject({ takenAt: '2009-11-28T13:42:39.000-05:00', timeZone: 'America/New_York', description: null });

    const file = await stage('iso', asset('tags/picasa.jpg'), 'canon.jpg', { 'canon.jpg.xmp': xmp });
    const m = await readMetadata(file);
    expect(m).toMatchObject({
      takenAt: '2009-11-28T13:42:39.000-05:00', // sidecar date + sidecar GPS zone
      timeZone: 'America/New_York',
      make: 'Canon',
      model: 'Canon PowerShot SX120 IS', // sidecar wins
      description: 'Image-Description', // sidecar's is blank: the file's stays
      keywords: ['Frost', 'Yard'],
      width: 100, // always the file's
      height: 75,
      mimeFromExif: 'image/jpeg',
    });
  });

  it('ignores a sidecar that cannot be read', async () => {
    const file = await stage('bad-sidecar', asset('tags/picasa.jpg'), 'p.jpg');
    await writeFile(`${file}.xmp`, Buffer.from([0, 1, 2, 3, 255, 254, 0, 0]));
    expect((await readMetadata(file)).takenAt).toBe('2010-02-13T14:55:31.000');
    expect((await readMetadata(file, { sidecar: path.join(tmp, 'missing.xmp') })).takenAt).toBe('2010-02-13T14:55:31.000');
  });
});

describe('hostile files', () => {
  it('throws a clear Error when ExifTool cannot read the file at all', async () => {
    const garbage = path.join(tmp, 'garbage.jpg');
    await writeFile(garbage, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)));
    await expect(readMetadata(garbage)).rejects.toThrow(/Cannot read metadata of .*garbage\.jpg: File format error/);
    const empty = path.join(tmp, 'empty.jpg');
    await writeFile(empty, '');
    await expect(readMetadata(empty)).rejects.toThrow(/empty\.jpg: File is empty/);
    await expect(readMetadata(path.join(tmp, 'nope.jpg'))).rejects.toThrow(/nope\.jpg: file not found/);
    await expect(readMetadata(tmp)).rejects.toThrow(/is a directory/);
  });

  it('reads what it can from a truncated file', async () => {
    const whole = await readFile(asset('gps-position/thompson-springs.jpg'));
    const cut = path.join(tmp, 'truncated.jpg');
    await writeFile(cut, whole.subarray(0, 50_000)); // before the XMP and the GPS block
    const m = await readMetadata(cut, { sidecar: null });
    expect(m.mimeFromExif).toBe('image/jpeg');
    expect(m.keywords).toContain('thompson springs'); // IPTC survives
    // Only IPTC's date is left: DateCreated 2022:01:10 + TimeCreated 15:15:44-04:00.
    expect(m.takenAt).toBe('2022-01-10T15:15:44.000-04:00');
    expect(m.latitude).toBeNull();
  });
});

describe('extractEmbeddedPreview', () => {
  let writer: ExifTool;
  beforeAll(() => {
    writer = new ExifTool({ maxProcs: 1 });
  });
  afterAll(async () => {
    await writer.end();
  });

  it('writes the embedded JPEG of a RAW-like TIFF', async () => {
    // The corpus has no RAW files: build a TIFF whose IFD0 carries a 320×240 PreviewImage, as RAWs do.
    const raw = path.join(tmp, 'fake-raw.tif');
    const preview = path.join(tmp, 'preview-src.jpg');
    await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080' } })
      .tiff()
      .toFile(raw);
    await sharp({ create: { width: 320, height: 240, channels: 3, background: '#c03020' } })
      .jpeg()
      .toFile(preview);
    await writer.write(raw, {}, { writeArgs: [`-PreviewImage<=${preview}`, '-overwrite_original'] });

    const dest = path.join(tmp, 'extracted.jpg');
    expect(await extractEmbeddedPreview(raw, dest)).toBe(true);
    const info = await sharp(dest).metadata();
    expect(info).toMatchObject({ format: 'jpeg', width: 320, height: 240 });
    expect(await readFile(dest)).toEqual(await readFile(preview));
  });

  it('returns false when there is no preview (an EXIF thumbnail does not count)', async () => {
    // picasa.jpg carries only a 5 kB IFD1 ThumbnailImage.
    expect(await extractEmbeddedPreview(asset('tags/picasa.jpg'), path.join(tmp, 'none.jpg'))).toBe(false);
    expect(await extractEmbeddedPreview(asset('dates/time-created.jpg'), path.join(tmp, 'none2.jpg'))).toBe(false);
  });
});

describe('metadataFromTags (tag objects → PhotoMetadata)', () => {
  it('treats 0,0 and out-of-range positions as no position', () => {
    expect(metadataFromTags({ GPSLatitude: 0, GPSLongitude: 0 }, null)).toMatchObject({ latitude: null, longitude: null });
    expect(metadataFromTags({ GPSLatitude: 91, GPSLongitude: 10 }, null).latitude).toBeNull();
    expect(metadataFromTags({ GPSLatitude: '', GPSLongitude: '' }, null).latitude).toBeNull();
    expect(metadataFromTags({ GPSLatitude: 0, GPSLongitude: 12.5 }, null)).toMatchObject({ latitude: 0, longitude: 12.5 });
  });

  it('reads a hostile image size in linear time', () => {
    const started = performance.now();
    expect(metadataFromTags({ ImageSize: `1${' '.repeat(100_000)}a`, ImageWidth: 640, ImageHeight: 480 }, null)).toMatchObject({ width: 640, height: 480 });
    expect(metadataFromTags({ ImageSize: '6000x4000' }, null)).toMatchObject({ width: 6000, height: 4000 });
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('skips camera junk and blank descriptions', () => {
    expect(metadataFromTags({ ImageDescription: 'OLYMPUS DIGITAL CAMERA         ' }, null).description).toBeNull();
    expect(metadataFromTags({ ImageDescription: 'SONY DSC', 'Caption-Abstract': 'Aunt Mary at the lake' }, null).description).toBe('Aunt Mary at the lake');
    expect(metadataFromTags({ Description: ' \n\t ' }, null).description).toBeNull();
  });

  it('rates from Rating, else RatingPercent; orientation only 1..8', () => {
    expect(metadataFromTags({ Rating: 4 }, null).rating).toBe(4);
    expect(metadataFromTags({ Rating: -1 }, null).rating).toBe(-1);
    expect(metadataFromTags({ Rating: 9, RatingPercent: 75 }, null).rating).toBe(4);
    expect(metadataFromTags({ RatingPercent: 99 }, null).rating).toBe(5);
    expect(metadataFromTags({ Orientation: 'Rotate 90 CW' }, null).orientation).toBeNull();
    expect(metadataFromTags({ Orientation: 9 }, null).orientation).toBeNull();
    expect(metadataFromTags({ Orientation: 8 }, null).orientation).toBe(8);
  });

  it('flattens, converts and de-duplicates keywords', () => {
    expect(
      keywordsOf({
        Keywords: [' Frost ', 'yard', 2019],
        Subject: ['Yard', 'Frost'],
        XPKeywords: 'garden;winter',
        HierarchicalSubject: ['Places|Europe|France', 'People | Marie Curie'],
        LastKeywordXMP: 'Places/Europe/France',
      }),
    ).toEqual(['Frost', 'yard', '2019', 'garden', 'winter', 'Places/Europe/France', 'People/Marie Curie']);
    expect(keywordsOf({ Keywords: 'single' })).toEqual(['single']);
  });

  it('lets a sidecar override field by field, but never width, height or MIME type', () => {
    const file = { Make: 'Canon', Model: 'A', Rating: 1, Keywords: ['a'], ImageSize: '4000x3000', MIMEType: 'image/x-canon-cr2' };
    const sidecar = { Model: 'B', Rating: 5, Subject: ['b'], ImageSize: '10x10', MIMEType: 'application/rdf+xml', ISO: [100, 200] };
    expect(metadataFromTags(file, sidecar)).toMatchObject({
      make: 'Canon',
      model: 'B',
      rating: 5,
      keywords: ['b'],
      width: 4000,
      height: 3000,
      mimeFromExif: 'image/x-canon-cr2',
    });
  });
});
