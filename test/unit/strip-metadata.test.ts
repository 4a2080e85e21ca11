// The rules a visitor's copy is made and checked by: the tags an image may keep (an allow-list), the container parts
// it keeps, and what a clip's copy may hold; and a RAW's copy as ExifTool makes it.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { containerOf, keptParts, type Part } from '../../src/media/container-parts.js';
import { closeMetadataReader, reader } from '../../src/media/exiftool-reader.js';
import { KEPT_TAGS, unsafeTagsIn } from '../../src/media/safe-metadata.js';
import { rawDeletionArgs, stripArgs, stripImage } from '../../src/media/strip-metadata.js';
import { remuxArgs, unsafeStreamsIn } from '../../src/media/video/strip-video.js';
import { cameraRaw } from '../helpers/camera-raw.js';
import { PLACES, placesLeftIn } from '../helpers/located-media.js';
import { withTempDir } from '../helpers/temp.js';

describe('unsafeTagsIn', () => {
  it('refuses whatever the allow-list does not name: GPS, places, IPTC, other XMP, thumbnails, maker notes, free metadata', () => {
    const tags = {
      'EXIF:GPS:GPSLatitude': 39.1,
      'EXIF:IFD1:ThumbnailImage': '(Binary data)',
      'EXIF:IFD1:Compression': 6,
      'EXIF:ExifIFD:ImageUniqueID': 'x',
      'EXIF:ExifIFD:SerialNumber': '0620',
      'XMP:XMP-acme:Lat': '48.858',
      'XMP:XMP-dc:Description': 'near Thompson Springs',
      'XMP:XMP-iptcExt:LocationCreatedCity': 'Moab',
      'IPTC:ContentLocationName': 'Moab',
      'IPTC:Keywords': 'utah',
      'MakerNotes:Samsung:MCCData': 'United States / Guam (310)',
      'Photoshop:IPTCDigest': 'x',
      'QuickTime:UserData:GPSCoordinates': '39.1 -108.4',
      'QuickTime:Keys:Location': '+39.1-108.4/',
      'QuickTime:ItemList:Title': 'x',
      'PNG:Comment': 'x',
      'File:Comment': 'near Thompson Springs',
      'Trailer:Google:MotionPhotoVideo': 'x',
      'Composite:GPSPosition': '39.1 -108.4',
      'Pentax:HometownCity': 'Denver',
    };
    expect(unsafeTagsIn(tags, { raw: false }).sort()).toEqual(Object.keys(tags).sort());
    // a container's structure stays, its free text (a JPEG comment, a PNG's text) never
    expect(unsafeTagsIn({ 'PNG:BitDepth': 8, 'PNG:Location': '39.1', 'PNG:Title': 'x' }, { raw: false })).toEqual(['PNG:Location', 'PNG:Title']);
  });

  it("keeps the allow-list, the pixels' layout, the colour profile and the file's own facts", () => {
    const tags = {
      SourceFile: '/tmp/x.jpg',
      errors: [],
      'File:System:FileName': 'Location of Moab.jpg',
      'File:System:Directory': '/tmp/City',
      'ExifTool:ExifToolVersion': 13.5,
      'File:MIMEType': 'image/jpeg',
      'JFIF:XResolution': 300,
      'EXIF:IFD0:Orientation': 6,
      'EXIF:IFD0:Make': 'Canon',
      'EXIF:IFD0:YCbCrPositioning': 1,
      'EXIF:ExifIFD:DateTimeOriginal': '2022:01:10 15:15:44',
      'EXIF:ExifIFD:ExifVersion': '0232',
      'XMP:XMP-x:XMPToolkit': 'Image::ExifTool',
      'XMP:XMP-dc:Creator': 'Carol M. Highsmith',
      'ICC_Profile:ICC_Profile:ProfileDescription': 'sRGB',
      'QuickTime:Track1:HandlerType': 'vide',
      'QuickTime:Track1:MatrixStructure': '0 1 0 -1 0 0 240 0 1',
      'RIFF:ImageWidth': 600,
      'Composite:Opacity': 1,
    };
    expect(unsafeTagsIn(tags, { raw: false })).toEqual([]);
  });

  it("keeps a RAW's EXIF and maker notes for its decoders, but never its GPS, a serial number, a place, a person's name or free text", () => {
    const tags = {
      'EXIF:IFD0:ColorMatrix1': '1 0 0',
      'MakerNotes:Canon:ColorData': 'x',
      'EXIF:GPS:GPSLatitude': 1,
      'MakerNotes:Canon:InternalSerialNumber': 'y',
      'XMP:XMP-aux:Lens': 'z',
    };
    expect(unsafeTagsIn(tags, { raw: true }).sort()).toEqual(['EXIF:GPS:GPSLatitude', 'MakerNotes:Canon:InternalSerialNumber', 'XMP:XMP-aux:Lens']);
    expect(unsafeTagsIn(tags, { raw: false })).toHaveLength(5);
    // what Windows, a TIFF writer and Panasonic's, Fujifilm's and FLIR's maker notes write: free text, paths, names, ids
    const named = {
      'EXIF:IFD0:XPComment': 'at Moab',
      'EXIF:IFD0:XPKeywords': 'Utah',
      'EXIF:IFD0:DocumentName': '/home/carol/Moab/x.dng',
      'EXIF:IFD0:HostComputer': "Carol's iMac",
      'EXIF:ExifIFD:ImageUniqueID': 'a1b2',
      'MakerNotes:Panasonic:Landmark': 'Delicate Arch',
      'MakerNotes:Panasonic:State': 'Utah',
      'MakerNotes:Panasonic:BabyName': 'Ada',
      'MakerNotes:Panasonic:RecognizedFace1Name': 'Carol',
      'MakerNotes:FujiFilm:Face1Name': 'Carol',
      'MakerNotes:FLIR:UnknownSerial1': '123',
    };
    expect(unsafeTagsIn({ ...tags, ...named }, { raw: true }).sort()).toEqual(
      [...Object.keys(named), 'EXIF:GPS:GPSLatitude', 'MakerNotes:Canon:InternalSerialNumber', 'XMP:XMP-aux:Lens'].sort(),
    );
  });

  it("strips a RAW's free text, paths and ids from the EXIF it keeps (a TIFF, as DNG writes its EXIF), and keeps the camera", async () => {
    await withTempDir('shoebox-raw-strip-', async (dir) => {
      const file = path.join(dir, 'scan.tif');
      await sharp({ create: { width: 16, height: 16, channels: 3, background: '#888' } })
        .tiff()
        .toFile(file);
      const private_ = {
        XPComment: 'at Moab',
        XPKeywords: 'Utah',
        XPTitle: 'Delicate Arch',
        DocumentName: '/home/carol/Moab/x.dng',
        PageName: 'Utah',
        HostComputer: "Carol's iMac",
        ImageDescription: 'Moab',
        UserComment: 'Moab',
        ImageUniqueID: 'a1b2',
        BodySerialNumber: '0620',
      };
      await reader().write(file, { ...private_, Make: 'Canon', Model: 'Canon EOS 7D', ExposureTime: 0.01 } as never, {
        writeArgs: ['-overwrite_original'],
        useMWG: false,
      });
      expect(await stripImage(file, { raw: true })).toEqual({ stripped: true });
      const left = await reader().readRaw(file, { readArgs: ['-a', '-u', '-s'] });
      expect(Object.keys(left).filter((tag) => tag in private_)).toEqual([]);
      expect(JSON.stringify(left)).not.toMatch(/Moab|Utah|Carol|Arch|a1b2|0620/);
      expect(left).toMatchObject({ Make: 'Canon', Model: 'Canon EOS 7D', ExposureTime: '1/100' });
    });
    await closeMetadataReader();
  });

  it("makes a RAW's own GPS go, and its embedded preview and thumbnail safe where they lie (their own GPS and serial), keeping them", async () => {
    await withTempDir('shoebox-raw-previews-', async (dir) => {
      const write = (file: string, tags: object) => reader().write(file, tags as never, { writeArgs: ['-overwrite_original'], useMWG: false });
      const at = ([latitude, longitude]: readonly [number, number]) => ({
        GPSLatitude: latitude,
        GPSLatitudeRef: 'N',
        GPSLongitude: -longitude,
        GPSLongitudeRef: 'W',
      });
      const jpeg = async (name: string, width: number, place: readonly [number, number]) => {
        const file = path.join(dir, name);
        await sharp({ create: { width, height: (width * 3) / 4, channels: 3, background: '#468' } })
          .jpeg()
          .toFile(file);
        await write(file, { ...at(place), SerialNumber: '0620', Make: 'Canon' });
        return readFile(file);
      };
      const [preview, thumbnail] = await Promise.all([jpeg('preview.jpg', 160, PLACES.thumbnail), jpeg('thumbnail.jpg', 32, PLACES.custom)]);
      const facts = { preview, width: 160, height: 120, make: 'Canon', model: 'Canon EOS 5D', taken: '2024:05:01 10:00:00' };
      // one ExifTool cannot write (a CR2 without its thumbnail), one it writes (GPS added to the RAW's own EXIF)
      const bare = path.join(dir, 'bare.cr2');
      const whole = path.join(dir, 'whole.cr2');
      await writeFile(bare, cameraRaw(facts));
      await writeFile(whole, cameraRaw({ ...facts, thumbnail }));
      await write(whole, at(PLACES.main));
      for (const file of [bare, whole]) {
        expect(await placesLeftIn(file), file).not.toEqual([]);
        expect(await stripImage(file, { raw: true }), file).toEqual({ stripped: true });
        expect(await placesLeftIn(file), file).toEqual([]);
        // still the RAW it was, with its preview: the same picture, without the serial number
        const kept = `${file}.preview.jpg`;
        await reader().extractPreview(file, kept);
        expect(await sharp(kept).metadata(), file).toMatchObject({ width: 160, height: 120 });
        const tags = JSON.stringify([await reader().readRaw(file, { readArgs: ['-a', '-u'] }), await reader().readRaw(kept, { readArgs: ['-a', '-u'] })]);
        expect(tags, file).toMatch(/"Model":"Canon EOS 5D"/);
        expect(tags, file).not.toMatch(/0620/);
      }
    });
    await closeMetadataReader();
  });

  it("makes safe a JPEG a RAW holds that no tag names (a DNG's first image as JPEG strips), where it lies, keeping its picture", async () => {
    await withTempDir('shoebox-raw-unnamed-', async (dir) => {
      const write = (file: string, tags: object) => reader().write(file, tags as never, { writeArgs: ['-overwrite_original'], useMWG: false });
      const picture = (width: number) =>
        sharp({ create: { width, height: (width * 3) / 4, channels: 3, background: '#468' } })
          .jpeg()
          .toBuffer();
      const preview = path.join(dir, 'preview.jpg');
      await writeFile(preview, await picture(160));
      await write(preview, {
        GPSLatitude: PLACES.thumbnail[0],
        GPSLatitudeRef: 'N',
        GPSLongitude: -PLACES.thumbnail[1],
        GPSLongitudeRef: 'W',
        SerialNumber: '0620',
      });
      // the test's CR2 without its marker, with a DNG version: its preview is IFD0's strip, which no tag names
      const raw = cameraRaw({ preview: await readFile(preview), thumbnail: await picture(32), width: 160, height: 120, make: 'Canon', model: 'Canon EOS 5D' });
      raw.write('\0\0\0', 8, 'latin1');
      const file = path.join(dir, 'scan.dng');
      await writeFile(file, raw);
      await write(file, { DNGVersion: '1 4 0 0' });
      expect((await reader().read(file)).MIMEType).toBe('image/x-adobe-dng');
      expect(await placesLeftIn(file)).not.toEqual([]);
      // before: stripped, with the preview's GPS and serial number still in it
      expect(await stripImage(file, { raw: true })).toEqual({ stripped: true });
      expect(await placesLeftIn(file)).toEqual([]);
      const bytes = await readFile(file);
      expect(bytes.includes('0620', 0, 'latin1')).toBe(false);
      // the preview still decodes (after the thumbnail, in IFD1)
      const starts = [...bytes.toString('latin1').matchAll(/\xff\xd8\xff/g)].map((match) => match.index);
      const sizes = await Promise.all(starts.map(async (at) => (await sharp(bytes.subarray(at)).metadata()).width));
      expect(sizes).toEqual([32, 160]);
    });
    await closeMetadataReader();
  });

  it('deletes everything and copies back only the allow-list, the colour profile never deleted', () => {
    expect(stripArgs({ raw: false })).toEqual(['--ICC_Profile:all', '-tagsFromFile', '@', ...KEPT_TAGS.map((tag) => `-${tag}`)]);
    expect(KEPT_TAGS.some((tag) => /GPS|Location|City|Serial|Description|Keywords|Thumbnail/i.test(tag))).toBe(false);
    expect(stripArgs({ raw: true })).toEqual(expect.arrayContaining(['--EXIF:all', '--MakerNotes:all']));
    expect(rawDeletionArgs()).toEqual(expect.arrayContaining(['-GPS:all=', '-*Serial*=', '-XP*=']));
  });
});

describe('container parts', () => {
  const part = (type: string, offset: number, size = 100): Part => ({ type, offset, size });

  it('tells the containers it walks by their first bytes', () => {
    expect(containerOf(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'))).toBe('png');
    expect(containerOf(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('riff');
    expect(containerOf(Buffer.from('\x00\x00\x00\x18ftypheic\x00\x00\x00\x00', 'latin1'))).toBe('bmff');
    expect(containerOf(Buffer.from('0000000c4a584c200d0a870a00000014', 'hex'))).toBe('jxl');
    expect(containerOf(Buffer.from('ffd8ffe000104a464946000101000001', 'hex'))).toBeNull();
  });

  it("drops the parts its list does not know: a PNG's text and private chunks, a WebP's unknown chunk", () => {
    const png = [part('IHDR', 8), part('tEXt', 108), part('iCCP', 208), part('IDAT', 308), part('gpSx', 408), part('IEND', 508)];
    expect(keptParts('png', png)).toEqual({ keep: [png[0], png[2], png[3], png[5]], dropped: ['tEXt', 'gpSx'] });
    const webp = [part('VP8X', 12), part('VP8 ', 112), part('EXIF', 212), part('GPSx', 312)];
    expect(keptParts('riff', webp)).toEqual({ keep: webp.slice(0, 3), dropped: ['GPSx'] });
  });

  it("drops a HEIF motion photo's trailing video box, and refuses an unknown box before the image data (offsets)", () => {
    const motion = [part('ftyp', 0), part('meta', 100), part('mdat', 200), part('mpvd', 300)];
    expect(keptParts('bmff', motion)).toEqual({ keep: motion.slice(0, 3), dropped: ['mpvd'] });
    const inside = [part('ftyp', 0), part('meta', 100), part('gpsx', 200), part('mdat', 300)];
    expect(keptParts('bmff', inside)).toEqual({ refused: 'an unknown box ("gpsx") lies before the image data' });
  });
});

describe("a clip's copy", () => {
  it('remuxes the first video and audio streams only, without metadata or chapters, in the same container', () => {
    const args = remuxArgs('in.mov', 'out.mov', 'mov');
    expect(args.join(' ')).toContain('-map 0:V:0 -map 0:a:0? -c copy -sn -dn -map_metadata -1 -map_chapters -1');
    expect(args.slice(-4)).toEqual(['-f', 'mov', '-y', 'out.mov']);
    expect(remuxArgs('in.webm', 'out.webm', 'webm')).not.toContain('-movflags');
  });

  it("refuses a copy with another stream, a tag beyond the muxer's own, or chapters", () => {
    const clean: Parameters<typeof unsafeStreamsIn>[0] = {
      streams: [
        { index: 0, codec_type: 'video', tags: { language: 'und', handler_name: 'VideoHandler' } },
        { index: 1, codec_type: 'audio', tags: { language: 'und' } },
      ],
      format: { tags: { major_brand: 'isom', minor_version: '512', compatible_brands: 'isomiso2avc1mp41' } },
    };
    expect(unsafeStreamsIn(clean)).toEqual([]);
    expect(
      unsafeStreamsIn({
        streams: [...clean.streams!, { index: 2, codec_type: 'subtitle' }, { index: 3, codec_type: 'data', tags: { handler_name: 'GoPro MET' } }],
        format: { tags: { location: '+39.1-108.4/' } },
        chapters: [{}],
      }),
    ).toEqual(['a subtitle stream', 'a data stream', 'container tag location', 'chapters']);
  });
});
