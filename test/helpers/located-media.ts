// Photos and clips that say where they were taken in every place a privacy probe found a position (issue 59), made by
// the tools Shoebox runs (ExifTool, ffmpeg), and a search of a file for those places by their values — numbers and
// names in every tag ExifTool reads, in the file's bytes, in any JPEG or MP4 inside it — never by tag names.
import { execFile } from 'node:child_process';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { reader } from '../../src/media/exiftool-reader.js';
import { requireVideoTools } from '../../src/media/video/tools.js';
import { assets } from './corpus.js';
import { makeTempDir } from './temp.js';

const run = promisify(execFile);

/** Where the photos say they were: the main position (Thompson Springs, Utah), the EXIF thumbnail's own, a custom XMP namespace's. */
export const PLACES = { main: [39.115, -108.40097], thumbnail: [51.50073, -0.12463], custom: [48.85837, 2.29448] } as const;
/** The places as they are written: decimal degrees, ISO 6709, subtitles; and their names. */
export const PLACE_TEXT = /39\.11|108\.40|51\.500|0\.1246|48\.858|2\.2944|Thompson Springs|Utah|Moab|Eiffel|Guam|United States/;

export interface LocatedMedia {
  dir: string;
  /** The corpus's Utah photo (GPS, IPTC and XMP city, caption naming it) with an EXIF thumbnail holding GPS of its own, IPTC content location, a custom XMP namespace's position and an unknown APP segment. */
  jpeg: string;
  /** A PNG with GPS in eXIf, a custom XMP namespace, a tEXt position and a private chunk holding one. */
  png: string;
  /** A WebP with GPS in its EXIF, XMP, and an unknown chunk holding a position. */
  webp: string;
  /** The corpus's iPhone HEIC with GPS and a custom XMP namespace. */
  heic: string;
  /** As a drone writes it: H.264/AAC with a subtitle track of positions, a timecode track, ©xyz, 3GPP loci, Keys ISO 6709, XMP GPS. */
  mp4: string;
  /** The same in a QuickTime MOV (its text track). */
  mov: string;
  /** A Google motion photo (MicroVideo) whose appended MP4 is the drone clip above. */
  motionJpeg: string;
  /** The corpus's Samsung motion photo: a HEIC with its video in an `mpvd` box and a mobile country code (Guam). */
  motionHeic: string;
}

let made: Promise<LocatedMedia> | null = null;

/** The media, made once per test file. */
export function locatedMedia(): Promise<LocatedMedia> {
  made ??= make();
  return made;
}

const [lat, lon] = PLACES.main;
const customXmp = (inner = '') =>
  '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  `<rdf:Description rdf:about="" xmlns:acme="http://ns.example.com/acme/1.0/" acme:Lat="${PLACES.custom[0]}" acme:Lon="${PLACES.custom[1]}" acme:Where="Eiffel Tower"/>` +
  `${inner}</rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
const gpsTags = { GPSLatitude: lat, GPSLatitudeRef: 'N', GPSLongitude: -lon, GPSLongitudeRef: 'W' };

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

async function make(): Promise<LocatedMedia> {
  const dir = await makeTempDir('shoebox-located-');
  const media: LocatedMedia = {
    dir,
    jpeg: path.join(dir, 'utah.jpg'),
    png: path.join(dir, 'plot.png'),
    webp: path.join(dir, 'denali.webp'),
    heic: path.join(dir, 'IMG_2682.heic'),
    mp4: path.join(dir, 'DJI_0001.mp4'),
    mov: path.join(dir, 'DJI_0002.mov'),
    motionJpeg: path.join(dir, 'PXL_motion.MP.jpg'),
    motionHeic: path.join(dir, 'samsung-motion.heic'),
  };
  const write = (file: string, tags: object, args: string[] = []) =>
    reader().write(file, tags as never, { writeArgs: ['-overwrite_original', ...args], useMWG: false, ignoreMinorErrors: true });

  // the JPEG: a thumbnail that says it was taken in London, a custom namespace's Paris, IPTC's Moab, an APP5 segment
  const thumb = path.join(dir, 'thumb.jpg');
  await sharp(path.join(assets, 'metadata/gps-position/thompson-springs.jpg')).resize(64).jpeg().toFile(thumb);
  await write(thumb, { GPSLatitude: PLACES.thumbnail[0], GPSLatitudeRef: 'N', GPSLongitude: -PLACES.thumbnail[1], GPSLongitudeRef: 'W' });
  const source = await readFile(path.join(assets, 'metadata/gps-position/thompson-springs.jpg'));
  const app5 = Buffer.from(`\xff\xe5\x00\x00ACME\x00${lat},${lon}`, 'latin1');
  app5.writeUInt16BE(app5.length - 2, 2);
  await writeFile(media.jpeg, Buffer.concat([source.subarray(0, 2), app5, source.subarray(2)]));
  const packet = path.join(dir, 'packet.xmp');
  await reader().extractBinaryTag('XMP', media.jpeg, packet);
  const own = await readFile(packet, 'utf8');
  // the photo's own XMP (serial numbers, city) with the custom namespace added
  await writeFile(packet, own.replace('</rdf:RDF>', `${customXmp().match(/<rdf:Description.*?\/>/)![0]}</rdf:RDF>`));
  await write(media.jpeg, { 'IPTC:ContentLocationName': 'Moab', 'IPTC:ContentLocationCode': 'USA' }, [`-ThumbnailImage<=${thumb}`, `-XMP<=${packet}`]);

  // PNG, WebP and HEIC: GPS in their EXIF, a custom namespace's position in their XMP
  await writeFile(packet, customXmp());
  const png = path.join(dir, 'plain.png');
  await copyFile(path.join(assets, 'formats/png/density_plot.png'), png);
  await write(png, gpsTags, [`-XMP<=${packet}`]);
  const pngBytes = await readFile(png);
  const end = pngBytes.length - 12;
  const text = Buffer.from(`GPSInfo\0${lat},${lon}`, 'latin1');
  await writeFile(
    media.png,
    Buffer.concat([pngBytes.subarray(0, end), pngChunk('tEXt', text), pngChunk('gpSx', Buffer.from(`${lat},${lon}`)), pngBytes.subarray(end)]),
  );
  const webp = path.join(dir, 'plain.webp');
  await copyFile(path.join(assets, 'formats/webp/denali.webp'), webp);
  await write(webp, gpsTags, [`-XMP<=${packet}`]);
  const webpBytes = await readFile(webp);
  const extra = Buffer.concat([Buffer.from('GPSx\x14\x00\x00\x00', 'latin1'), Buffer.from(`${lat},${lon}!!!`.padEnd(20, '!'))]);
  const riff = Buffer.concat([webpBytes, extra]);
  riff.writeUInt32LE(riff.length - 8, 4);
  await writeFile(media.webp, riff);
  await copyFile(path.join(assets, 'formats/heic/IMG_2682.heic'), media.heic);
  await write(media.heic, gpsTags, [`-XMP<=${packet}`]);

  // the drone's clips: 1 s, a subtitle track of positions as DJI writes them, a timecode track, the places ffmpeg and ExifTool write
  const { ffmpeg, env } = await requireVideoTools({ ffmpeg: null, ffprobe: null });
  const srt = path.join(dir, 'gps.srt');
  await writeFile(srt, `1\n00:00:00,000 --> 00:00:01,000\nGPS(${lat},${lon},1483) [latitude: ${lat}] [longitude: ${lon}]\n`);
  for (const clip of [media.mp4, media.mov]) {
    await run(
      ffmpeg,
      [
        '-hide_banner',
        '-v',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        'testsrc2=size=320x240:rate=25:duration=1',
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=440:duration=1',
        '-i',
        srt,
        '-map',
        '0',
        '-map',
        '1',
        '-map',
        '2',
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        '-pix_fmt',
        'yuv420p',
        '-c:a',
        'aac',
        '-c:s',
        'mov_text',
        '-timecode',
        '01:00:00:00',
        '-metadata',
        `location=+${lat.toFixed(4)}${lon.toFixed(4)}/`,
        '-movflags',
        '+use_metadata_tags',
        '-metadata',
        `com.apple.quicktime.location.ISO6709=+${lat.toFixed(4)}${lon.toFixed(4)}/`,
        clip,
      ],
      { env },
    );
    await write(clip, { 'XMP:GPSLatitude': lat, 'XMP:GPSLongitude': lon, 'UserData:GPSCoordinates': `${lat} ${lon}` });
  }

  // a Google motion photo (the older MicroVideo form): a still, then the drone's MP4
  const still = path.join(dir, 'still.jpg');
  await copyFile(path.join(assets, 'albums/nature/el_torcal_rocks.jpg'), still);
  const video = await readFile(media.mp4);
  await write(still, {
    'XMP-GCamera:MicroVideo': 1,
    'XMP-GCamera:MicroVideoVersion': 1,
    'XMP-GCamera:MicroVideoOffset': video.length,
    'XMP-GCamera:MicroVideoPresentationTimestampUs': 0,
    ...gpsTags,
  });
  await writeFile(media.motionJpeg, Buffer.concat([await readFile(still), video]));
  await copyFile(path.join(assets, 'formats/motionphoto/samsung-one-ui-6.heic'), media.motionHeic);
  return media;
}

/**
 * What of the places is still in a file: every tag ExifTool reads (numbers as numbers, unknown and embedded ones
 * too), the file's bytes as text, and the same for any JPEG or MP4 found inside it. [] when nothing is.
 */
export async function placesLeftIn(file: string): Promise<string[]> {
  const found: string[] = [];
  const bytes = await readFile(file);
  const look = async (name: string, at: string) => {
    const tags = await reader().readRaw(at, { readArgs: ['-a', '-u', '-G1', '-ee', '-n'] });
    for (const [key, value] of Object.entries(tags)) {
      if (key.startsWith('System:') || key === 'SourceFile') continue;
      const match = PLACE_TEXT.exec(JSON.stringify(value));
      if (match) found.push(`${name} ${key}: ${match[0]}`);
    }
  };
  await look('tags', file);
  const asText = bytes.toString('latin1');
  const inBytes = PLACE_TEXT.exec(asText);
  if (inBytes) found.push(`bytes at ${inBytes.index}: ${inBytes[0]}`);
  // a JPEG (a thumbnail, a secondary image) or an MP4 (a motion photo's video) inside the file
  const inside: number[] = [];
  for (let at = bytes.indexOf('\xff\xd8\xff', 3, 'latin1'); at > 0; at = bytes.indexOf('\xff\xd8\xff', at + 3, 'latin1')) inside.push(at);
  for (let at = bytes.indexOf('ftyp', 12, 'latin1'); at > 0; at = bytes.indexOf('ftyp', at + 4, 'latin1')) inside.push(at - 4);
  for (const at of inside.slice(0, 20)) {
    const part = `${file}.inside-${at}`;
    await writeFile(part, bytes.subarray(at));
    await look(`embedded at ${at}`, part);
  }
  return found;
}
