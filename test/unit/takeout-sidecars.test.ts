// Google Takeout sidecars: every naming Google has used, matched to their photos (issue 35 item 2), and their JSON read
// into what Shoebox keeps (item 3), bad values refused with the reason.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseAlbumMeta, parseTakeoutSidecar, TakeoutJsonError } from '../../src/media/takeout-json.js';
import type { TakeoutFile } from '../../src/library/takeout/archive.js';
import { iCloudDate } from '../../src/library/takeout/icloud.js';
import { planTakeout } from '../../src/library/takeout/plan.js';
import { matchFolder, mediaName, sidecarName, type SidecarName } from '../../src/library/takeout/sidecar-names.js';

const names = (...files: string[]): SidecarName[] => files.map((f) => sidecarName(f)!);

describe('Takeout sidecar names', () => {
  it('takes a media name apart: counter, edited copy in several languages', () => {
    expect(mediaName('IMG_1234(1).jpg')).toMatchObject({ base: 'IMG_1234.jpg', counter: '(1)', edited: false });
    expect(mediaName('IMG_1234-edited.jpg')).toMatchObject({ base: 'IMG_1234.jpg', counter: '', edited: true });
    expect(mediaName('IMG_1234-bearbeitet.JPG')).toMatchObject({ base: 'IMG_1234.JPG', edited: true });
    expect(mediaName('IMG_1234-modifié.jpg')).toMatchObject({ base: 'IMG_1234.jpg', edited: true });
    expect(mediaName('IMG_1234-編集済み.jpg')).toMatchObject({ base: 'IMG_1234.jpg', edited: true });
    expect(mediaName('-edited.jpg')).toMatchObject({ base: '-edited.jpg', edited: false });
    expect(sidecarName('IMG.jpg.supplemental-metadata(12).json')).toMatchObject({ stem: 'IMG.jpg.supplemental-metadata', counter: '(12)' });
    expect(sidecarName('IMG.jpg')).toBeNull();
  });

  it('matches the old and the new names, and names cut to 51 characters', () => {
    const media = [
      'IMG_20200920_131207.jpg', // new, whole
      'PXL_20230101_101010123.MP.jpg', // new, cut: `PXL_20230101_101010123.MP.jpg.supplemental-met`
      'VID_20190505_121212.mp4', // old
      'Screenshot_20210314-101112_Messages.jpg', // new, cut to `.s`
      'a-very-long-file-name-that-google-cut-somewh.jpg', // cut inside the extension
    ];
    const sidecars = names(
      'IMG_20200920_131207.jpg.supplemental-metadata.json',
      'PXL_20230101_101010123.MP.jpg.supplemental-met.json',
      'VID_20190505_121212.mp4.json',
      'Screenshot_20210314-101112_Messages.jpg.supple.json',
      'a-very-long-file-name-that-google-cut-somewh.j.json',
    );
    for (const s of sidecars) expect(s.file.length).toBeLessThanOrEqual(51);
    const match = matchFolder(media, sidecars);
    expect(Object.fromEntries(match.sidecars)).toEqual({
      'IMG_20200920_131207.jpg': 'IMG_20200920_131207.jpg.supplemental-metadata.json',
      'PXL_20230101_101010123.MP.jpg': 'PXL_20230101_101010123.MP.jpg.supplemental-met.json',
      'VID_20190505_121212.mp4': 'VID_20190505_121212.mp4.json',
      'Screenshot_20210314-101112_Messages.jpg': 'Screenshot_20210314-101112_Messages.jpg.supple.json',
      'a-very-long-file-name-that-google-cut-somewh.jpg': 'a-very-long-file-name-that-google-cut-somewh.j.json',
    });
    expect(match.withoutSidecar).toEqual([]);
    expect(match.unused).toEqual([]);
  });

  it('gives a counted copy its counted sidecar, new and old style, and never the first copy’s', () => {
    const media = ['IMG.jpg', 'IMG(1).jpg', 'IMG(2).jpg', 'DSC.JPG', 'DSC(1).JPG'];
    const sidecars = names(
      'IMG.jpg.supplemental-metadata.json',
      'IMG.jpg.supplemental-metadata(1).json',
      'IMG.jpg.supplemental-metadata(2).json',
      'DSC.JPG.json',
      'DSC.JPG(1).json',
    );
    expect(Object.fromEntries(matchFolder(media, sidecars).sidecars)).toEqual({
      'IMG.jpg': 'IMG.jpg.supplemental-metadata.json',
      'IMG(1).jpg': 'IMG.jpg.supplemental-metadata(1).json',
      'IMG(2).jpg': 'IMG.jpg.supplemental-metadata(2).json',
      'DSC.JPG': 'DSC.JPG.json',
      'DSC(1).JPG': 'DSC.JPG(1).json',
    });
  });

  it('reads a counter that is part of the uploaded name when its sidecar names it whole', () => {
    const match = matchFolder(['scan(1).jpg'], names('scan(1).jpg.supplemental-metadata.json'));
    expect(match.sidecars.get('scan(1).jpg')).toBe('scan(1).jpg.supplemental-metadata.json');
  });

  it('gives edited copies their original’s sidecar, in any language, without counting it unused', () => {
    const media = ['IMG_1.jpg', 'IMG_1-edited.jpg', 'IMG_1-bearbeitet.jpg', 'IMG_2-modifié.jpg'];
    const sidecars = names('IMG_1.jpg.supplemental-metadata.json', 'IMG_2.jpg.json');
    const match = matchFolder(media, sidecars);
    expect(match.sidecars.get('IMG_1-edited.jpg')).toBe('IMG_1.jpg.supplemental-metadata.json');
    expect(match.sidecars.get('IMG_1-bearbeitet.jpg')).toBe('IMG_1.jpg.supplemental-metadata.json');
    // the original is not in this folder (another zip's album folder has it): the edited copy still finds it
    expect(match.sidecars.get('IMG_2-modifié.jpg')).toBe('IMG_2.jpg.json');
    expect(match.unused).toEqual([]);
  });

  it('tells names cut alike apart by the sidecars’ titles, and reports what is left on either side', () => {
    const long1 = 'Family reunion at grandmother’s house, summer — part one.jpg';
    const long2 = 'Family reunion at grandmother’s house, summer — part two.jpg';
    // Google cut both file names to 47 characters (the extension kept) and both sidecars to the same 46
    const file1 = `${long1.slice(0, 43)}.jpg`;
    const file2 = `${long2.slice(0, 43)}(1).jpg`;
    const sidecars: SidecarName[] = [
      { ...sidecarName(`${long1.slice(0, 46)}.json`)!, title: long1 },
      { ...sidecarName(`${long2.slice(0, 46)}(1).json`)!, title: long2 },
      { ...sidecarName('lost.jpg.supplemental-metadata.json')!, title: 'lost.jpg' },
    ];
    const match = matchFolder([file1, file2, 'no-sidecar.png'], sidecars);
    expect(match.sidecars.get(file1)).toBe(sidecars[0]!.file);
    expect(match.sidecars.get(file2)).toBe(sidecars[1]!.file);
    expect(match.withoutSidecar).toEqual(['no-sidecar.png']);
    expect(match.unused).toEqual(['lost.jpg.supplemental-metadata.json']);
  });

  it('matches a year folder of 30,000 photos in well under a second or two (names looked up, not compared)', () => {
    const media = Array.from({ length: 30_000 }, (_, i) => `PXL_2023${String(i).padStart(8, '0')}_123456789.jpg`);
    const sidecars = names(...media.map((m) => `${`${m}.supplemental-metadata`.slice(0, 46)}.json`));
    const started = performance.now();
    const match = matchFolder(media, sidecars);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(match.sidecars.size).toBe(30_000);
    expect(match.unused).toEqual([]);
  });

  it('never gives one sidecar to two originals', () => {
    const match = matchFolder(['a.jpg', 'a.png'], names('a.json'));
    expect(match.sidecars.size).toBe(1);
    expect(match.withoutSidecar).toHaveLength(1);
  });
});

describe('Takeout sidecar JSON', () => {
  const now = Date.UTC(2026, 10, 26);
  const sidecar = (fields: Record<string, unknown>) => JSON.stringify({ title: 'IMG.jpg', ...fields });

  it('reads the date (UTC seconds), the place, the description, flags and people', () => {
    const read = parseTakeoutSidecar(
      sidecar({
        description: ' At the beach ',
        photoTakenTime: { timestamp: '1599990000', formatted: 'Sep 13, 2020, 9:40:00 AM UTC' },
        creationTime: { timestamp: '1600000000' },
        geoData: { latitude: 38.7223, longitude: -9.1393, altitude: 12.5, latitudeSpan: 0, longitudeSpan: 0 },
        people: [{ name: 'Marie' }, { name: 'Pierre' }, { name: 'Marie' }, { name: '' }],
        favorited: true,
        archived: true,
        url: 'https://photos.google.com/photo/x',
      }),
      'IMG.jpg.json',
      now,
    );
    expect(read).toEqual({
      title: 'IMG.jpg',
      description: 'At the beach',
      takenAt: new Date('2020-09-13T09:40:00Z'),
      place: { latitude: 38.7223, longitude: -9.1393, altitude: 12.5 },
      favorited: true,
      archived: true,
      trashed: false,
      people: ['Marie', 'Pierre'],
      problems: [],
    });
  });

  it('takes 0,0 for no place (then the file’s own place from geoDataExif), and refuses absurd values with reasons', () => {
    const none = parseTakeoutSidecar(sidecar({ geoData: { latitude: 0, longitude: 0 }, geoDataExif: { latitude: 0, longitude: 0 } }), 'x', now);
    expect(none.place).toBeUndefined();
    const exif = parseTakeoutSidecar(sidecar({ geoData: { latitude: 0, longitude: 0 }, geoDataExif: { latitude: 48.85, longitude: 2.35 } }), 'x', now);
    expect(exif.place).toEqual({ latitude: 48.85, longitude: 2.35 });
    const bad = parseTakeoutSidecar(sidecar({ photoTakenTime: { timestamp: '99999999999' }, geoData: { latitude: 123, longitude: 5 } }), 'x', now);
    expect(bad.takenAt).toBeUndefined();
    expect(bad.place).toBeUndefined();
    expect(bad.problems).toEqual([
      expect.stringMatching(/^photoTakenTime: timestamp 99999999999 .* is out of range$/),
      'geoData: place 123, 5 is out of range',
    ]);
    expect(parseTakeoutSidecar(sidecar({ photoTakenTime: { timestamp: 'soon' } }), 'x', now).problems).toEqual([
      'photoTakenTime: timestamp "soon" is not a number of seconds',
    ]);
  });

  it('refuses what is not JSON, or not a sidecar, naming the file', () => {
    expect(() => parseTakeoutSidecar('{"title": ', 'IMG.jpg.json', now)).toThrow(TakeoutJsonError);
    expect(() => parseTakeoutSidecar('{"title": ', 'IMG.jpg.json', now)).toThrow(/^IMG\.jpg\.json is not JSON/);
    expect(() => parseTakeoutSidecar('[1, 2]', 'IMG.jpg.json', now)).toThrow(/IMG\.jpg\.json is not a Google Photos sidecar/);
    expect(() => parseTakeoutSidecar(sidecar({ favorited: 'yes' }), 'x.json', now)).toThrow(TakeoutJsonError);
    expect(() => parseTakeoutSidecar(`"${'x'.repeat(1024 * 1024 + 1)}"`, 'big.json', now)).toThrow(/larger than/);
  });

  it('tells an album’s metadata file from a photo’s sidecar by what each must hold, whatever else it holds', () => {
    const album = (fields: Record<string, unknown>) => parseAlbumMeta(JSON.stringify(fields), 'metadata.json');
    expect(album({ title: 'Lisbon 2024', description: 'Trip', access: 'protected', date: { timestamp: '1' } })).toEqual({
      album: { title: 'Lisbon 2024', description: 'Trip' },
    });
    // older exports: the album's place beside its title, or everything under albumData
    const geoData = { latitude: 38.72, longitude: -9.14, altitude: 0, latitudeSpan: 0.1, longitudeSpan: 0.1 };
    expect(album({ title: 'Lisbon 2019', description: '', access: 'protected', location: 'Lisbon', date: { timestamp: '1' }, geoData })).toEqual({
      album: { title: 'Lisbon 2019' },
    });
    expect(album({ albumData: { title: 'Porto', description: 'Rain', access: 'public', date: { timestamp: '1' }, geoData } })).toEqual({
      album: { title: 'Porto', description: 'Rain' },
    });
    // a photo's sidecar holds its moments; one with nothing but a title is known by its file's name
    expect(parseAlbumMeta(sidecar({ photoTakenTime: { timestamp: '1599990000' }, geoData }), 'IMG.jpg.json')).toBeNull();
    expect(parseAlbumMeta(sidecar({ favorited: true }), 'IMG.jpg.supplemental-metad.json')).toBeNull();
    expect(parseAlbumMeta(sidecar({}), 'IMG.jpg(1).json')).toBeNull();
    // an album's file that gives no album says why
    expect(album({ title: '  ', access: 'protected' })).toEqual({ refused: 'its metadata file gives the album no title' });
    expect(album({ albumData: { description: 'x' } })).toEqual({ refused: 'its metadata file gives the album no title' });
  });

  it('makes an album of a folder whose metadata has a place, and says why a folder is no album', async () => {
    const text = (label: string, fields: Record<string, unknown>): TakeoutFile => {
      const bytes = Buffer.from(JSON.stringify(fields));
      const parts = label.split('/');
      return {
        label,
        folder: parts.at(-2)!,
        dir: parts.slice(0, -1).join('/'),
        name: parts.at(-1)!,
        size: bytes.length,
        open: async () => Readable.from([bytes]),
      };
    };
    const geoData = { latitude: 38.72, longitude: -9.14, altitude: 0, latitudeSpan: 0, longitudeSpan: 0 };
    const taken = { photoTakenTime: { timestamp: '1599990000' } };
    const plan = await planTakeout([
      text('Takeout/Lisbon/IMG.jpg', {}),
      text('Takeout/Lisbon/IMG.jpg.json', { title: 'IMG.jpg', ...taken, geoData }),
      text('Takeout/Lisbon/metadata.json', { title: 'Lisbon', description: '', access: 'protected', location: '', date: { timestamp: '1' }, geoData }),
      text('Takeout/Untitled/B.jpg', {}),
      text('Takeout/Untitled/B.jpg.json', { title: 'B.jpg', ...taken }),
      text('Takeout/Untitled/metadata.json', { title: '', access: 'protected', date: { timestamp: '1' } }),
    ]);
    expect(plan.albums).toEqual(['Lisbon']);
    expect(plan.items.map((item) => [item.file.name, item.sidecar?.file.name, item.albums.map((a) => a.title)])).toEqual([
      ['IMG.jpg', 'IMG.jpg.json', ['Lisbon']],
      ['B.jpg', 'B.jpg.json', []],
    ]);
    expect(plan.unusedSidecars).toEqual([]);
    expect(plan.notAlbums).toEqual([{ label: 'Takeout/Untitled/metadata.json', reason: 'its metadata file gives the album no title' }]);
    // one that is not JSON: under the folders that made no album, not the photos' sidecars not read
    const broken: TakeoutFile = { ...text('Takeout/Cut/metadata.json', {}), open: async () => Readable.from([Buffer.from('{"title": "Cut')]) };
    const cut = await planTakeout([text('Takeout/Cut/C.jpg', {}), broken]);
    expect(cut.badJson).toEqual([]);
    expect(cut.notAlbums).toEqual([{ label: 'Takeout/Cut/metadata.json', reason: expect.stringMatching(/^metadata\.json is not JSON/) }]);
  });

  it('keeps no control character of a title, description or name (a NUL cannot be stored)', () => {
    expect(parseAlbumMeta(JSON.stringify({ title: 'Tr\u0000ip\u0007', description: 'a\u0000b\nc' }), 'm')).toEqual({
      album: { title: 'Trip', description: 'ab\nc' },
    });
    expect(parseAlbumMeta(JSON.stringify({ title: '\u0000\u0001', access: 'private' }), 'm')).toEqual({
      refused: 'its metadata file gives the album no title',
    });
    const read = parseTakeoutSidecar(sidecar({ title: 'IMG\u0000.jpg', description: 'x\u0000y', people: [{ name: 'Ma\u0000rie' }] }), 'x', now);
    expect([read.title, read.description, read.people]).toEqual(['IMG.jpg', 'xy', ['Marie']]);
    // a refused value is quoted short
    const long = parseTakeoutSidecar(sidecar({ photoTakenTime: { timestamp: 'x'.repeat(100_000) } }), 'x', now);
    expect(long.problems[0]!.length).toBeLessThan(150);
  });
});

describe('iCloud Photos dates', () => {
  it('reads Photo Details dates (GMT), and nothing else', () => {
    expect(iCloudDate('Saturday January 15,2022 7:31 PM GMT')).toEqual(new Date('2022-01-15T19:31:00Z'));
    expect(iCloudDate('Monday September 9,2019 12:05 AM GMT')).toEqual(new Date('2019-09-09T00:05:00Z'));
    expect(iCloudDate('Tuesday March 1, 2016 12:40:07 PM GMT')).toEqual(new Date('2016-03-01T12:40:07Z'));
    expect(iCloudDate('Friday February 30,2022 7:31 PM GMT')).toBeNull();
    expect(iCloudDate('Saturday Janvier 15,2022 7:31 PM GMT')).toBeNull();
    expect(iCloudDate('2022-01-15 19:31')).toBeNull();
    expect(iCloudDate('Saturday January 15,2022 13:31 PM GMT')).toBeNull();
  });
});
