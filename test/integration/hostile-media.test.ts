// Hostile media files against a real server: a PNG whose compressed text inflates to 500 MB, sidecars under the
// 4 MB cap built to make ExifTool slow or to carry thousands of keywords, JPEG XL files that are only a header,
// playlists and concat lists that point ffmpeg at other files. Each ends its steps in bounded time and memory, says
// what it left out, never shows a picture it did not decode, and never reads a file it was not given.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { createDeflate, crc32 } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeVideo } from '../../src/media/video/probe.js';
import { requireVideoTools } from '../../src/media/video/tools.js';
import { transcodeVideo } from '../../src/media/video/transcode.js';
import { assets, authFetch, json, startTestServer, upload, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp.js';

/** A PNG chunk: length, type, data, CRC-32 of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/** `megabytes` MB of one letter, deflated (streamed: the test never holds the inflated text). */
async function deflatedText(megabytes: number): Promise<Buffer> {
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (part: Buffer) => parts.push(part));
  const ended = new Promise((resolve) => deflate.on('end', resolve));
  const block = Buffer.alloc(1024 * 1024, 'A');
  for (let i = 0; i < megabytes; i += 1) if (!deflate.write(block)) await new Promise((resolve) => deflate.once('drain', resolve));
  deflate.end();
  await ended;
  return Buffer.concat(parts);
}

/** A small PNG with a zTXt "Comment" of 500 MB deflated to ~500 KB, after its header chunk. */
async function pngBomb(): Promise<Buffer> {
  const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a7' } })
    .png()
    .toBuffer();
  const ztxt = chunk('zTXt', Buffer.concat([Buffer.from('Comment\0\0', 'latin1'), await deflatedText(500)]));
  return Buffer.concat([png.subarray(0, 33), ztxt, png.subarray(33)]); // signature + IHDR, then the bomb
}

const XMP_HEAD =
  '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">';
const XMP_TAIL = '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>';
const subject = (count: number, word = (i: number) => `keyword ${i}`) =>
  `<dc:subject><rdf:Bag>${Array.from({ length: count }, (_, i) => `<rdf:li>${word(i)}</rdf:li>`).join('\n')}</rdf:Bag></dc:subject>`;

/** ExifTool's perl processes started by this process (the server runs in it): pid, peak RSS and data limit. */
function exiftools(): { pid: number; peakKb: number; dataLimit: string }[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (parent !== process.pid || !readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('exiftool')) return [];
        const peakKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${name}/status`, 'utf8'))?.[1] ?? 0);
        const dataLimit = /Max data size\s+(\S+)/.exec(readFileSync(`/proc/${name}/limits`, 'utf8'))?.[1] ?? '';
        return [{ pid: Number(name), peakKb, dataLimit }];
      } catch {
        return [];
      }
    });
}

describe('hostile media', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText());
  });

  afterAll(async () => {
    await server?.dispose();
  });

  async function photoOf(id: string, timeoutMs = 90_000) {
    await waitForTerminal(server.url, [id], timeoutMs);
    return (await json(`${server.url}/api/photos/${id}`)).body;
  }

  it('reads a PNG whose text inflates to 500 MB in bounded time and memory, leaving that text out with a note', async () => {
    const bomb = await pngBomb();
    expect(bomb.length).toBeLessThan(600_000);
    // A plain PNG first, so that what every photo loads once (the models of the later steps) is in the baseline.
    const plain = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#a37' } })
      .png()
      .toBuffer();
    await photoOf((await upload(server.url, [{ name: 'plain.png', data: plain }])).body.items[0].id);
    let peakRss = process.memoryUsage().rss;
    const baseline = peakRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    const started = Date.now();
    try {
      const response = await upload(server.url, [{ name: 'bomb.png', data: bomb }]);
      const photo = await photoOf(response.body.items[0].id, 60_000);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(photo.state).toBe('completed');
      expect(photo.steps.preprocessing.status).toBe('done');
      expect(photo.steps.metadata).toMatchObject({ status: 'done', error: 'zTXt chunk “Comment” inflates to more than 4 MB: not read' });
      expect(photo.steps.metadata.durationMs).toBeLessThan(5_000);
      expect(photo.width).toBe(64);
    } finally {
      clearInterval(sampler);
    }
    // The server never held the text, and no ExifTool process inflated it; each runs under a 1 GiB data limit.
    expect(peakRss - baseline).toBeLessThan(300 * 1024 * 1024);
    const tools = exiftools();
    expect(tools.length).toBeGreaterThan(0);
    for (const tool of tools) {
      expect(tool.peakKb, `ExifTool ${tool.pid} peak RSS`).toBeLessThan(300 * 1024);
      expect(tool.dataLimit).toBe(String(1024 * 1024 * 1024));
    }
  });

  const jpeg = (name: string) => readFileSync(path.join(assets, 'albums/nature', name));

  it('reads a 2.6 MB sidecar built to make ExifTool slow in seconds, and says it was not read', async () => {
    // Keywords, then a structure nested 10,000 deep (ExifTool's XMP parser is quadratic in depth: ~50 s here, past
    // its 30 s timeout twice: the sidecar used to be dropped without a word after a minute).
    const nested = `<xmp:Deep><rdf:Bag>${'<rdf:li><rdf:Bag>'.repeat(5000)}${'</rdf:Bag></rdf:li>'.repeat(5000)}</rdf:Bag></xmp:Deep>`;
    const sidecar =
      XMP_HEAD +
      subject(20_000, (i) => `keyword ${i} of a long list, with words enough to make the sidecar as big as the one that held ExifTool for a minute`) +
      nested +
      XMP_TAIL;
    expect(sidecar.length).toBeGreaterThan(2_500_000);
    expect(sidecar.length).toBeLessThan(4 * 1024 * 1024);
    const started = Date.now();
    const response = await upload(server.url, [
      { name: 'slow.jpg', data: jpeg('silver_fir.jpg') },
      { name: 'slow.jpg.xmp', data: Buffer.from(sidecar) },
    ]);
    expect(response.body.items[1]).not.toHaveProperty('error');
    const photo = await photoOf(response.body.items[0].id);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(photo.state).toBe('completed');
    expect(photo.steps.metadata).toMatchObject({ status: 'done', error: 'XMP sidecar not read: its elements nest 10,005 deep, over the limit of 100' });
  });

  it('does not read a sidecar of 60,000 keywords (under 4 MB), and says so', async () => {
    const sidecar = XMP_HEAD + subject(60_000) + XMP_TAIL;
    const response = await upload(server.url, [
      { name: 'many.jpg', data: jpeg('tanners_ridge.jpg') },
      { name: 'many.jpg.xmp', data: Buffer.from(sidecar) },
    ]);
    const photo = await photoOf(response.body.items[0].id);
    expect(photo.steps.metadata).toMatchObject({
      status: 'done',
      error: 'XMP sidecar not read: it has 60,010 elements and attributes, over the limit of 25,000',
    });
  });

  it('keeps the first 1,000 keywords of a sidecar and says how many it left out', async () => {
    const long = 'x'.repeat(300);
    const sidecar = XMP_HEAD + subject(1_500, (i) => (i === 7 ? long : `word ${i}`)) + XMP_TAIL;
    const response = await upload(server.url, [
      { name: 'capped.jpg', data: jpeg('wood_anemones.jpg') },
      { name: 'capped.jpg.xmp', data: Buffer.from(sidecar) },
    ]);
    const photo = await photoOf(response.body.items[0].id);
    expect(photo.metadata.keywords).toHaveLength(1_000);
    expect(photo.metadata.keywords[7]).toBe('word 8');
    expect(photo.steps.metadata).toMatchObject({
      status: 'done',
      error: 'kept the first 1,000 of 1,499 keywords; left out 1 keyword longer than 200 characters',
    });
  });

  it('fails the decode of JPEG XL files that are only a header, with the reason, with djxl and in WebAssembly', async () => {
    const headers = {
      // the container's 12-byte signature box and nothing after it
      container: '0000000c4a584c200d0a870a',
      // a bare codestream: FF 0A, an 8×8 size header and the first bytes of a frame (12 bytes)
      codestream: 'ff0a41404071210802010020',
      // a 1024×1024 size header with nothing after the image header
      large: 'ff0afa1f0101c58508020100',
    };
    const before = process.env.SHOEBOX_DISABLE_DECODERS;
    for (const disabled of ['', 'djxl']) {
      process.env.SHOEBOX_DISABLE_DECODERS = disabled;
      try {
        for (const [name, hex] of Object.entries(headers)) {
          const response = await upload(server.url, [{ name: `${name}-${disabled || 'djxl'}.jxl`, data: Buffer.from(hex, 'hex') }]);
          const photo = await photoOf(response.body.items[0].id);
          expect(photo.state, name).toBe('failed');
          expect(photo.steps.preprocessing.status, name).toBe('failed');
          expect(photo.steps.preprocessing.error, name).toMatch(/\.jxl \(image\/jxl\): .+/);
          expect((await authFetch(`${server.url}/api/photos/${photo.id}/thumbnail`)).status, name).not.toBe(200);
        }
      } finally {
        // as it was: the files after this one run in the same process
        if (before === undefined) delete process.env.SHOEBOX_DISABLE_DECODERS;
        else process.env.SHOEBOX_DISABLE_DECODERS = before;
      }
    }
  });

  it('fails truncated JPEG, PNG and HEIC files with the reason instead of showing part of a picture', async () => {
    const cut = (file: string, name: string) => {
      const data = readFileSync(path.join(assets, file));
      return { name, data: data.subarray(0, Math.floor(data.length * 0.6)) };
    };
    const response = await upload(server.url, [
      cut('albums/nature/silver_fir.jpg', 'cut.jpg'),
      cut('formats/png/density_plot.png', 'cut.png'),
      cut('formats/heic/IMG_2682.heic', 'cut.heic'),
    ]);
    for (const item of response.body.items as { id: string; filename: string }[]) {
      const photo = await photoOf(item.id);
      expect(photo.steps.preprocessing.status, item.filename).toBe('failed');
      expect(photo.steps.preprocessing.error, item.filename).toMatch(/^cut\.\w+ \(image\/\w+\): .+/);
    }
  });

  it('never lets ffmpeg follow a playlist or a concat list to another file or a URL, whatever the file is named', async () => {
    // the tools Shoebox runs by default: a system ffmpeg from 4.4 on where one is installed, else npm's 2018 build
    const defaults = { ffmpeg: null, ffprobe: null };
    const { ffmpeg, env } = await requireVideoTools(defaults);
    const dir = await makeTempDir('shoebox-playlists-');
    const segment = path.join(dir, 'other-users-clip.ts');
    await promisify(execFile)(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=160x120:r=25:d=1', '-c:v', 'libx264', '-f', 'mpegts', segment], { env });
    const hls = (entry: string) => `#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\n${entry}\n#EXT-X-ENDLIST\n`;
    const lists = {
      // npm's build follows these three (a distribution's 5.1 an HLS playlist named .mp4 too), each reading the segment
      'absolute.m3u8': hls(segment),
      'relative.m3u8': hls('other-users-clip.ts'),
      'concat.mp4': 'ffconcat version 1.0\nfile other-users-clip.ts\n',
      'playlist.mp4': hls(segment),
      'remote.m3u8': hls('http://127.0.0.1:9/segment.ts'),
    };
    for (const [name, text] of Object.entries(lists)) await writeFile(path.join(dir, name), text);
    for (const name of Object.keys(lists)) {
      const file = path.join(dir, name);
      await expect(probeVideo(file, name, defaults), name).rejects.toThrow(new RegExp(`^${name.replace('.', '\\.')}: not a readable video`));
      await expect(transcodeVideo(file, dir, name, { maxHeight: 120, durationMs: 1000, tools: defaults }), name).rejects.toThrow(/transcoding failed/);
    }
    // the segment itself is a clip like any other
    expect(await probeVideo(segment, 'segment', defaults)).toMatchObject({ container: 'mpegts', width: 160 });
    // and none of them passes the door as a video
    const refused = await upload(
      server.url,
      ['absolute.m3u8', 'concat.mp4'].map((name) => ({ path: path.join(dir, name) })),
    );
    expect(
      refused.body.items.every((item: { id?: string; error?: string }) => !item.id && item.error),
      JSON.stringify(refused.body),
    ).toBe(true);
  });
});
