import { describe, expect, it } from 'vitest';
import { burstFromName, framesAlike, stackKeys, stackKind, stackReason, type StackFile } from '../../src/library/stacks/rules.js';
import { baseName, formatFamily } from '../../src/media/shot-names.js';

const at = (iso: string) => new Date(iso);
let n = 0;
const file = (filename: string, mime: string, takenAt: Date | null, over: Partial<StackFile> = {}): StackFile => {
  const base = { id: `p${n++}`, filename, mime, takenAt, make: 'Apple', model: 'iPhone 15', stackKeys: null as string[] | null, ...over };
  return { ...base, stackKeys: over.stackKeys ?? stackKeys({ filename, mime }) };
};
const t0 = at('2024-05-01T10:00:00Z');
const t1 = at('2024-05-01T10:00:01Z');

describe('stack keys', () => {
  it('names: edit suffixes (Google in every language, Lightroom, digiKam, Apple IMG_E) fold onto the original', () => {
    expect(baseName('IMG_1234.JPG')).toEqual({ base: 'img_1234', edited: false });
    expect(baseName('IMG_1234-edited.jpg')).toEqual({ base: 'img_1234', edited: true });
    expect(baseName('IMG_1234-bearbeitet.jpg')).toEqual({ base: 'img_1234', edited: true });
    expect(baseName('IMG_1234-編集済み.jpg')).toEqual({ base: 'img_1234', edited: true });
    expect(baseName('DSC_0042-Edit.tif')).toEqual({ base: 'dsc_0042', edited: true });
    expect(baseName('DSC_0042-Edit-2.tif')).toEqual({ base: 'dsc_0042', edited: true });
    expect(baseName('DSC_0042_v1.jpg')).toEqual({ base: 'dsc_0042', edited: true });
    expect(baseName('IMG_E1234.JPG')).toEqual({ base: 'img_1234', edited: true });
    // not edits: a name that is only a suffix, a counter copy
    expect(baseName('-edited.jpg')).toEqual({ base: '-edited', edited: false });
    expect(baseName('IMG_1234(1).jpg')).toEqual({ base: 'img_1234(1)', edited: false });
  });

  it('bursts named by phones, the burst being the capture moment', () => {
    expect(burstFromName('00001IMG_00001_BURST20190101120000123.jpg')).toBe('20190101120000123');
    expect(burstFromName('00000IMG_00000_BURST20190101120000123_COVER.jpg')).toBe('20190101120000123');
    expect(burstFromName('IMG_20190101_120000_BURST001.jpg')).toBe('IMG_20190101_120000');
    expect(burstFromName('IMG_20190101_120000_BURST002_COVER.jpg')).toBe('IMG_20190101_120000');
    expect(burstFromName('PXL_20230101_120000123.RAW-01.COVER.jpg')).toBe('PXL_20230101_120000123');
    expect(burstFromName('20190101_120000_001.jpg')).toBe('20190101_120000');
    expect(burstFromName('20190101_120000.jpg')).toBeNull(); // a single Samsung shot
    expect(burstFromName('IMG_1234.JPG')).toBeNull();
    expect(stackKeys({ filename: 'IMG_20190101_120000_BURST001.jpg', mime: 'image/jpeg', burstId: 'abc-123-def' })).toEqual([
      'name:img_20190101_120000_burst001',
      'burst-id:ABC-123-DEF',
      'burst-name:IMG_20190101_120000',
    ]);
    // a clip's name proposes nothing (a Live Photo's halves are one item already)
    expect(stackKeys({ filename: 'IMG_1234.MOV', mime: 'video/quicktime' })).toEqual([]);
  });

  it('format families by extension or type', () => {
    expect(formatFamily('a.CR3', 'application/octet-stream')).toBe('raw');
    expect(formatFamily('a.bin', 'image/x-adobe-dng')).toBe('raw');
    expect(formatFamily('a.HEIC', 'image/heic')).toBe('heic');
    expect(formatFamily('a.jpeg', 'image/jpeg')).toBe('jpeg');
    expect(formatFamily('a.png', 'image/png')).toBe('other');
  });
});

describe('what is one stack', () => {
  it('a raw file and its JPEG, a HEIC and its JPEG: same name, same moment, same camera', () => {
    expect(stackReason(file('DSC_0001.NEF', 'image/x-nikon-nef', t0), file('DSC_0001.JPG', 'image/jpeg', t1), true)).toBe('raw-jpeg');
    expect(stackReason(file('IMG_0001.HEIC', 'image/heic', t0), file('IMG_0001.JPG', 'image/jpeg', t0), true)).toBe('heic-jpeg');
  });

  it('never the same name at another moment, from another camera, without dates, or in one format', () => {
    const later = at('2024-05-01T10:00:05Z');
    expect(stackReason(file('DSC_0001.NEF', 'image/x-nikon-nef', t0), file('DSC_0001.JPG', 'image/jpeg', later), true)).toBeNull();
    expect(stackReason(file('IMG_0001.HEIC', 'image/heic', t0), file('IMG_0001.JPG', 'image/jpeg', t0, { make: 'Canon', model: 'EOS R5' }), true)).toBeNull();
    expect(stackReason(file('IMG_0001.HEIC', 'image/heic', null), file('IMG_0001.JPG', 'image/jpeg', null), true)).toBeNull();
    // IMG_0001.JPG of two different years: a camera's counter come round, or a copy — never a stack
    expect(stackReason(file('IMG_0001.JPG', 'image/jpeg', t0), file('IMG_0001.JPG', 'image/jpeg', at('2019-01-01T00:00:00Z')), true)).toBeNull();
    expect(stackReason(file('IMG_0001.JPG', 'image/jpeg', t0), file('img_0001.jpg', 'image/jpeg', t0), true)).toBeNull();
    // a PNG screenshot sharing a name with a JPEG is not a pair
    expect(stackReason(file('IMG_0001.PNG', 'image/png', t0), file('IMG_0001.JPG', 'image/jpeg', t0), true)).toBeNull();
  });

  it('an original and its edited version: same moment, or an undated edit that has one candidate', () => {
    const original = file('IMG_1234.JPG', 'image/jpeg', t0);
    expect(stackReason(original, file('IMG_1234-edited.jpg', 'image/jpeg', t0), true)).toBe('edited');
    expect(stackReason(file('IMG_E1234.JPG', 'image/jpeg', t1), original, true)).toBe('edited');
    expect(stackReason(original, file('IMG_1234-edited.jpg', 'image/jpeg', null), true)).toBe('edited');
    expect(stackReason(original, file('IMG_1234-edited.jpg', 'image/jpeg', null), false)).toBeNull();
    expect(stackReason(original, file('IMG_1234-edited.jpg', 'image/jpeg', at('2023-01-01T00:00:00Z')), true)).toBeNull();
  });

  it('a burst: the same identifier or burst name, within a minute, one camera', () => {
    const a = file('IMG_1001.JPG', 'image/jpeg', t0, { stackKeys: ['name:img_1001', 'burst-id:B1'] });
    const b = file('IMG_1002.JPG', 'image/jpeg', t1, { stackKeys: ['name:img_1002', 'burst-id:B1'] });
    expect(stackReason(a, b, false)).toBe('burst-id');
    expect(stackReason(a, { ...b, takenAt: at('2024-05-01T10:05:00Z') }, false)).toBeNull();
    expect(stackReason(a, { ...b, make: 'Google', model: 'Pixel 8' }, false)).toBeNull();
    const named = (name: string, when: Date) => file(name, 'image/jpeg', when);
    expect(stackReason(named('IMG_20190101_120000_BURST001.jpg', t0), named('IMG_20190101_120000_BURST002_COVER.jpg', t1), false)).toBe('burst-name');
  });

  it('frames a second apart are one burst only when they look alike', () => {
    expect(framesAlike(40, null)).toBe(true);
    expect(framesAlike(80, null)).toBe(true);
    expect(framesAlike(81, null)).toBe(false); // unrelated photos: 94 bits and more
    expect(framesAlike(120, 0.85)).toBe(true);
    expect(framesAlike(null, 0.7)).toBe(false);
    expect(framesAlike(null, null)).toBe(false);
  });

  it("a stack's kind is its reasons' kind, or mixed", () => {
    expect(stackKind(['burst-id', 'burst-time'])).toBe('burst');
    expect(stackKind(['raw-jpeg'])).toBe('raw-jpeg');
    expect(stackKind(['raw-jpeg', 'edited'])).toBe('mixed');
  });
});
