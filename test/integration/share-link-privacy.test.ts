// What a share link gives away: no original downloads unless the owner asks; originals and clips that visitors get
// keep only an allow-list (no place in any tag, stream, byte or embedded file of every container the test makes, found
// by value) unless the owner keeps their metadata, made once and served range by range, one visitor's flood theirs
// alone; the owner's own original and a file in a library in place stay byte for byte; and a visitor's upload of
// bytes the owner already has says only "already there", without the owner's photo id, adding nothing to the album.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ExifTool } from 'exiftool-vendored';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VISITOR_REQUESTS } from '../../src/api/visitor-copy.js';
import { findPhoto } from '../../src/library/photos/index.js';
import { deletePhoto } from '../../src/library/trash/index.js';
import { requireVideoTools } from '../../src/media/video/tools.js';
import { derivedPrefix, visitorCopiesPrefix } from '../../src/storage/keys.js';
import { locatedMedia, PLACE_TEXT, placesLeftIn, type LocatedMedia } from '../helpers/located-media.js';
import { assets, json, onPostgres, startTestServer, upload, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

/** A photo with 16 GPS tags, IPTC/XMP city, state and country, and the body's and lens's serial numbers (in XMP). */
const GPS_PHOTO = path.join(assets, 'metadata/gps-position/thompson-springs.jpg');
const FIR = path.join(assets, 'albums/nature/silver_fir.jpg');
const FALCON = path.join(assets, 'albums/nature/prairie_falcon.jpg');
const PRIVATE_TAG = /gps|serialnumber|ownername|city|state|country|location/i;

/** A GET from another loopback address: another visitor, as the server tells visitors apart. */
function fromAddress(localAddress: string, url: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { localAddress }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

describe("share links: downloads, metadata and visitors' duplicates", () => {
  let server: TestServer;
  let exiftool: ExifTool;
  let scratch: string;
  let root: string;
  let gpsId: string;
  let firId: string;
  let falconId: string;
  const original = fs.readFileSync(GPS_PHOTO);
  const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
  const api = (route: string, init: { method?: string; json?: unknown } = {}) => json(`${server.url}${route}`, init);
  const bytes = async (response: Response) => Buffer.from(await response.arrayBuffer());
  const makeLink = async (settings: object) => {
    const created = await api('/api/shared-links', { method: 'POST', json: settings });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body as { id: string; token: string; allowDownload: boolean; keepMetadata: boolean };
  };
  const visit = (token: string, route: string, headers: Record<string, string> = {}) => fetch(`${server.url}/api/s/${token}${route}`, { headers });
  /** The tags (group:name) that say where, or with which camera body or lens, a photo was taken. */
  const privateTags = async (data: Buffer): Promise<string[]> => {
    const file = path.join(scratch, `${sha(data)}.jpg`);
    fs.writeFileSync(file, data);
    const tags = await exiftool.readRaw(file, { readArgs: ['-a', '-G1', '-s'] });
    return Object.keys(tags).filter((key) => PRIVATE_TAG.test(key.split(':').pop()!) && !key.startsWith('System:') && !key.startsWith('ExifTool:'));
  };

  /** Visitors' copies this server made or refused (its metrics). */
  const copiesCounted = async (kind: 'image' | 'video', outcome: 'made' | 'refused') => {
    const text = await (await fetch(`${server.url}/metrics`, { headers: { 'x-api-key': server.apiKey } })).text();
    return Number(new RegExp(`^shoebox_visitor_copies_total\\{kind="${kind}",outcome="${outcome}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  };
  const copiesMade = () => copiesCounted('image', 'made');

  beforeAll(async () => {
    exiftool = new ExifTool({ maxProcs: 1 });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-visitor-files-'));
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-link-library-')));
    fs.mkdirSync(path.join(root, 'Trips'));
    // a copy with a title of its own: other bytes than the uploaded photo, the same location and serial numbers
    fs.copyFileSync(GPS_PHOTO, path.join(root, 'Trips', 'utah.jpg'));
    fs.chmodSync(path.join(root, 'Trips', 'utah.jpg'), 0o644);
    await exiftool.write(path.join(root, 'Trips', 'utah.jpg'), { Title: 'Utah' }, { writeArgs: ['-overwrite_original'] });
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(root, 'Trips', 'utah.jpg'), past, past);
    // transcoded copies (the Samsung motion photo's HEVC video) at most 160 lines: quick here
    server = await startTestServer(withoutFacesOrText({ libraryRoots: [root], librarySettleMs: 300, video: { maxHeight: 160 } }));
    const uploaded = await upload(server.url, [{ path: GPS_PHOTO }, { path: FIR }, { path: FALCON }]);
    [gpsId, firId, falconId] = uploaded.body.items.map((item: { id: string }) => item.id);
    await waitForTerminal(server.url, [gpsId, firId, falconId]);
    // the photo as the owner has it: its GPS, city and serial numbers are there (what the test looks for)
    expect(await privateTags(original)).toEqual(expect.arrayContaining(['GPS:GPSLatitude', 'XMP-aux:SerialNumber', 'XMP-aux:LensSerialNumber', 'IPTC:City']));
  }, 180_000);

  afterAll(async () => {
    await exiftool?.end();
    await server?.dispose();
    for (const dir of [scratch, root]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('makes links without downloads unless the owner switches them on', async () => {
    const link = await makeLink({ photoIds: [gpsId] });
    expect(link).toMatchObject({ allowDownload: false, keepMetadata: false });
    expect((await json(`${server.url}/api/s/${link.token}`, { anonymous: true })).body.allowDownload).toBe(false);
    const refused = await visit(link.token, `/photos/${gpsId}/original`);
    expect(refused.status).toBe(403);
    // the preview and thumbnail a visitor sees carry no location either
    for (const file of ['preview', 'thumbnail']) {
      const rendition = await visit(link.token, `/photos/${gpsId}/${file}`);
      expect(rendition.status).toBe(200);
      expect(await privateTags(await bytes(rendition))).toEqual([]);
    }
    const patched = await api(`/api/shared-links/${link.id}`, { method: 'PATCH', json: { allowDownload: true } });
    expect(patched.body).toMatchObject({ allowDownload: true, keepMetadata: false });
    expect((await visit(link.token, `/photos/${gpsId}/original`)).status).toBe(200);
    // where it was taken is not in the visitor's list either, until the owner lets the link keep it
    const listed = async () =>
      ((await json(`${server.url}/api/s/${link.token}/photos`, { anonymous: true })).body.items as { id: string; location: unknown }[]).find(
        (item) => item.id === gpsId,
      )!;
    expect((await listed()).location).toBeNull();
    expect((await api(`/api/shared-links/${link.id}`, { method: 'PATCH', json: { keepMetadata: true } })).body.keepMetadata).toBe(true);
    const shown = (await listed()).location as { latitude: number; longitude: number };
    const owners = (await api(`/api/photos/${gpsId}`)).body.metadata;
    expect(shown).toEqual({ latitude: owners.latitude, longitude: owners.longitude });
    expect((await api(`/api/shared-links/${link.id}`, { method: 'PATCH', json: { keepMetadata: false } })).status).toBe(200);
    expect((await listed()).location).toBeNull();
  });

  it("gives visitors the original without its location and serial numbers; the owner's stays whole", async () => {
    const link = await makeLink({ photoIds: [gpsId, firId], allowDownload: true });
    const response = await visit(link.token, `/photos/${gpsId}/original`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment/);
    const stripped = await bytes(response);
    expect(Number(response.headers.get('content-length'))).toBe(stripped.length);
    expect(await privateTags(stripped)).toEqual([]);
    // still the same picture, with what the allow-list keeps (its date, its credit) and not its caption, which names the place
    const kept = await exiftool.readRaw(path.join(scratch, `${sha(stripped)}.jpg`), { readArgs: ['-G1'] });
    expect(kept).toMatchObject({ 'XMP-dc:Creator': 'Photographer: Carol M. Highsmith', 'XMP-photoshop:DateCreated': expect.stringMatching(/^2022:01:10/) });
    expect(JSON.stringify(kept)).not.toMatch(/Thompson Springs|Utah|Early winter/);
    expect(stripped.length).toBeLessThan(original.length);
    // a range of the stripped copy, and the whole again: the same bytes
    const part = await visit(link.token, `/photos/${gpsId}/original`, { range: 'bytes=100-1099' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-1099/${stripped.length}`);
    expect(Number(part.headers.get('content-length'))).toBe(1000);
    expect((await bytes(part)).equals(stripped.subarray(100, 1100))).toBe(true);
    expect(sha(await bytes(await visit(link.token, `/photos/${gpsId}/original`)))).toBe(sha(stripped));
    // the owner's original, and the stored file, are untouched
    const own = await fetch(`${server.url}/api/photos/${gpsId}/original`, { headers: { 'x-api-key': server.apiKey } });
    expect((await bytes(own)).equals(original)).toBe(true);
    const again = await fetch(`${server.url}/api/photos/${gpsId}/original`, { headers: { 'x-api-key': server.apiKey } });
    expect(sha(await bytes(again))).toBe(sha(original));
    // nothing left behind in the server's scratch folder
    const leftovers = fs
      .readdirSync(path.join(server.dataDir), { recursive: true, withFileTypes: true })
      .filter((entry) => /exiftool_tmp|_original$/.test(entry.name));
    expect(leftovers).toEqual([]);
    expect(fs.readdirSync(server.lib.scratch.dir)).toEqual([]);
  });

  it.skipIf(onPostgres())("strips once and serves every range from the copy: one visitor's flood of 1-byte ranges is theirs alone to wait for", async () => {
    const link = await makeLink({ photoIds: [firId], allowDownload: true });
    const route = `${server.url}/api/s/${link.token}/photos/${firId}/original`;
    const madeBefore = await copiesMade();
    // the first requests come together: one copy is made, every one of them is answered from it
    const first = await Promise.all(Array.from({ length: 8 }, () => visit(link.token, `/photos/${firId}/original`, { range: 'bytes=0-0' })));
    expect(first.map((response) => response.status)).toEqual(Array(8).fill(206));
    // The budget refills evenly (VISITOR_REQUESTS a minute), so on a slow machine the flood earns a few more requests
    // while it runs: it goes on until it has been refused 10 times, and what got through must fit the budget.
    const started = Date.now();
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; statuses.filter((status) => status === 429).length < 10 && i < 3 * VISITOR_REQUESTS; i++) {
      const response = await fetch(route, { headers: { range: `bytes=${i % 1000}-${i % 1000}` } });
      statuses.push(response.status);
      if (response.status === 429 && !refused) refused = response;
      else await response.arrayBuffer();
    }
    const refilled = Math.ceil(((Date.now() - started) / 60_000) * VISITOR_REQUESTS);
    const through = statuses.filter((status) => status === 206).length;
    expect(through).toBeGreaterThanOrEqual(VISITOR_REQUESTS - first.length);
    expect(through).toBeLessThanOrEqual(VISITOR_REQUESTS - first.length + refilled);
    expect(new Set(statuses)).toEqual(new Set([206, 429]));
    // past its share the flooding visitor waits, told for how long
    expect(refused?.status).toBe(429);
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused!.json()) as { message: string }).message).toMatch(/too many downloads from this address/);
    // another visitor of the same link, from another address, downloads the whole copy meanwhile
    const other = await fromAddress('127.0.0.2', route);
    expect(other.status).toBe(200);
    expect(await privateTags(other.body)).toEqual([]);
    expect(sha(other.body)).toBe(
      sha(await bytes(await visit((await makeLink({ photoIds: [firId], allowDownload: true })).token, `/photos/${firId}/original`))),
    );
    // one copy made for all of them (two links, visits at once, a flood), none left in the scratch folder
    expect((await copiesMade()) - madeBefore).toBe(1);
    expect(fs.readdirSync(server.lib.scratch.dir)).toEqual([]);
  });

  it('gives visitors the whole original when the owner keeps its metadata', async () => {
    const link = await makeLink({ photoIds: [gpsId], allowDownload: true, keepMetadata: true });
    expect(link.keepMetadata).toBe(true);
    const whole = await bytes(await visit(link.token, `/photos/${gpsId}/original`));
    expect(whole.equals(original)).toBe(true);
    expect(await privateTags(whole)).toEqual(expect.arrayContaining(['GPS:GPSLatitude', 'XMP-aux:SerialNumber']));
    const patched = await api(`/api/shared-links/${link.id}`, { method: 'PATCH', json: { keepMetadata: false } });
    expect(patched.body.keepMetadata).toBe(false);
    expect(await privateTags(await bytes(await visit(link.token, `/photos/${gpsId}/original`)))).toEqual([]);
  });

  it('strips a file of a library in place for visitors and leaves the file in its folder alone', async () => {
    const inFolder = fs.readFileSync(path.join(root, 'Trips', 'utah.jpg'));
    expect(await privateTags(inFolder)).toEqual(expect.arrayContaining(['GPS:GPSLatitude', 'XMP-aux:SerialNumber']));
    const before = fs.statSync(path.join(root, 'Trips', 'utah.jpg'));
    const created = await api('/api/libraries', { method: 'POST', json: { name: 'Trips', paths: [path.join(root, 'Trips')], watch: 'off' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    let inPlaceId: string | undefined;
    for (const deadline = Date.now() + 60_000; !inPlaceId && Date.now() < deadline;) {
      const found = (await api(`/api/photos?limit=100`)).body.items.find((item: { filename: string }) => item.filename === 'utah.jpg');
      if (found) inPlaceId = found.id;
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(inPlaceId).toBeDefined();
    await waitForTerminal(server.url, [inPlaceId!]);
    const link = await makeLink({ photoIds: [inPlaceId], allowDownload: true });
    const response = await visit(link.token, `/photos/${inPlaceId}/original`);
    expect(response.status).toBe(200);
    expect(await privateTags(await bytes(response))).toEqual([]);
    const after = fs.statSync(path.join(root, 'Trips', 'utah.jpg'));
    expect(fs.readFileSync(path.join(root, 'Trips', 'utah.jpg')).equals(inFolder)).toBe(true);
    expect([after.ino, after.mtimeMs, after.size]).toEqual([before.ino, before.mtimeMs, before.size]);
    expect(fs.readdirSync(path.join(root, 'Trips'))).toEqual(['utah.jpg']);
  });

  it('tells a visitor who uploads a photo the owner has only that it is already there, and adds nothing', async () => {
    const albumId = (await api('/api/albums', { method: 'POST', json: { name: 'Visitors welcome', photoIds: [falconId] } })).body.id;
    const link = await makeLink({ albumId, allowUpload: true });
    const send = async (files: { file: string; name?: string; data?: Buffer }[]) => {
      const form = new FormData();
      for (const f of files) form.append('file', new Blob([new Uint8Array(f.data ?? fs.readFileSync(f.file))]), f.name ?? path.basename(f.file));
      const response = await fetch(`${server.url}/api/s/${link.token}/photos`, { method: 'POST', body: form, headers: { origin: server.url } });
      return { status: response.status, body: (await response.json()) as { items: Record<string, unknown>[] } };
    };
    // a private photo of the owner's (not in the album), with a sidecar, and a photo already in the album
    const sidecar = Buffer.from(
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:subject><rdf:Bag><rdf:li>visitor-was-here</rdf:li></rdf:Bag></dc:subject></rdf:Description></rdf:RDF></x:xmpmeta>',
    );
    const answer = await send([{ file: FIR }, { file: FIR, name: 'silver_fir.jpg.xmp', data: sidecar }, { file: FALCON }]);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(JSON.stringify(answer.body)).not.toContain(firId);
    expect(JSON.stringify(answer.body)).not.toContain(falconId);
    const [fir, firSidecar, falcon] = answer.body.items;
    expect(fir).toEqual({ filename: 'silver_fir.jpg', duplicate: true, message: 'already there' });
    expect(falcon).toEqual({ filename: 'prairie_falcon.jpg', duplicate: true, message: 'already there' });
    expect(firSidecar).toMatchObject({ filename: 'silver_fir.jpg.xmp', statusCode: 400 });
    // the album did not gain the private photo, the link shows what it showed, the photo kept no visitor's sidecar
    const album = (await api(`/api/albums/${albumId}`)).body;
    expect(album.photos.items.map((p: { id: string }) => p.id)).toEqual([falconId]);
    const shown = (await json(`${server.url}/api/s/${link.token}/photos`, { anonymous: true })).body.items.map((p: { id: string }) => p.id);
    expect(shown).toEqual([falconId]);
    expect((await api(`/api/photos/${firId}`)).body.hasSidecar).toBe(false);
    // a new photo from the visitor is still added to the album
    const fresh = await send([{ file: path.join(assets, 'albums/nature/el_torcal_rocks.jpg') }]);
    expect(fresh.status).toBe(201);
    expect(fresh.body.items[0]).toMatchObject({ filename: 'el_torcal_rocks.jpg', duplicate: false });
    expect((await api(`/api/albums/${albumId}`)).body.photoCount).toBe(2);
  });

  it("removes visitors' copies no link can serve (a link revoked, an album with a link deleted or a photo taken out of it), and one under the rules before", async () => {
    const picture = async (name: string, background: string) => {
      const file = path.join(scratch, name);
      await sharp({ create: { width: 64, height: 48, channels: 3, background } })
        .jpeg()
        .toFile(file);
      return { path: file };
    };
    const uploaded = await upload(server.url, [await picture('only.jpg', '#25a'), await picture('listed.jpg', '#5a2'), await picture('in-album.jpg', '#a25')]);
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    const [only, listed, inAlbum] = uploaded.body.items.map((item: { id: string }) => item.id) as [string, string, string];
    await waitForTerminal(server.url, [only, listed, inAlbum]);
    const listedLink = await makeLink({ photoIds: [listed] });
    const album = (id: string) => api('/api/albums', { method: 'POST', json: { name: 'Shown', photoIds: [id] } }).then((created) => created.body.id as string);
    const [shown, alsoShown] = [await album(inAlbum), await album(listed)];
    await makeLink({ albumId: shown });
    await makeLink({ albumId: alsoShown });
    const revoked = await makeLink({ photoIds: [only, listed, inAlbum], allowDownload: true });
    // a copy made under the rules before, where they kept it (beside the renditions)
    const row = (await findPhoto(server.lib, only))!;
    const pastDigest = createHash('sha256').update([row.sha256, row.storageKey, row.mime, 'allow-list 2'].join('\n')).digest('hex').slice(0, 24);
    const past = path.join(server.dataDir, derivedPrefix(only), `visitor-${pastDigest}.jpg`);
    fs.writeFileSync(past, 'a copy under the rules before');
    const copies = (id: string) => path.join(server.dataDir, visitorCopiesPrefix(id));
    for (const id of [only, listed, inAlbum]) expect((await visit(revoked.token, `/photos/${id}/original`)).status).toBe(200);
    expect([only, listed, inAlbum].map((id) => fs.readdirSync(copies(id)).length)).toEqual([1, 1, 1]);
    expect(fs.existsSync(past)).toBe(false);
    expect((await api(`/api/shared-links/${revoked.id}`, { method: 'DELETE' })).status).toBe(204);
    // before: every copy kept until its photo was deleted
    expect([fs.existsSync(copies(only)), fs.readdirSync(copies(listed)).length, fs.readdirSync(copies(inAlbum)).length]).toEqual([false, 1, 1]);
    // the last link showing it is an album's: the album deleted, or the photo taken out of it
    expect((await api(`/api/shared-links/${listedLink.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(fs.readdirSync(copies(listed))).toHaveLength(1);
    expect((await api(`/api/albums/${alsoShown}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/api/albums/${shown}/photos`, { method: 'DELETE', json: { ids: [inAlbum] } })).status).toBe(200);
    expect([fs.existsSync(copies(listed)), fs.existsSync(copies(inAlbum))]).toEqual([false, false]);
  });

  // what visitors get is the same on both engines: these run once
  describe.skipIf(onPostgres())('every container and namespace a place was found in', () => {
    let media: LocatedMedia;
    const ids: Record<string, string> = {};
    /** The kinds of a clip's streams, in order (ffprobe). */
    const streamsOf = async (file: string) => {
      const { ffprobe, env } = await requireVideoTools();
      const { stdout } = await promisify(execFile)(ffprobe, ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', file], { env });
      const probed = JSON.parse(stdout) as { streams: { codec_type: string }[]; format: { tags?: Record<string, string> } };
      return { kinds: probed.streams.map((stream) => stream.codec_type), brand: probed.format.tags?.major_brand?.trim() };
    };
    const save = (name: string, data: Buffer) => {
      const file = path.join(scratch, name);
      fs.writeFileSync(file, data);
      return file;
    };

    beforeAll(async () => {
      media = await locatedMedia();
      const files = [media.jpeg, media.png, media.webp, media.heic, media.mp4, media.mov, media.motionJpeg, media.motionHeic];
      const uploaded = await upload(
        server.url,
        files.map((file) => ({ path: file })),
      );
      expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
      for (const item of uploaded.body.items as { id: string; filename: string }[]) ids[item.filename] = item.id;
      await waitForTerminal(server.url, Object.values(ids), 180_000);
      // the owner's files say where, in every one of those places (what the test looks for is there)
      for (const file of files.filter((file) => file !== media.motionHeic)) expect(await placesLeftIn(file), file).not.toEqual([]);
      expect((await api(`/api/photos/${ids['DJI_0001.mp4']}`)).body.motion).toBeFalsy();
      expect((await api(`/api/photos/${ids['PXL_motion.MP.jpg']}`)).body.motion).toBeTruthy();
    }, 240_000);

    it("plays clips and motion photos' videos to a link's visitors without downloads: picture and sound, no GPS track, no place", async () => {
      const link = await makeLink({ photoIds: Object.values(ids) });
      for (const name of ['DJI_0001.mp4', 'DJI_0002.mov', 'PXL_motion.MP.jpg']) {
        const response = await visit(link.token, `/photos/${ids[name]}/video`);
        expect(response.status, name).toBe(200);
        const file = save(`played-${name}.mp4`, await bytes(response));
        expect(await placesLeftIn(file), name).toEqual([]);
        expect((await streamsOf(file)).kinds, name).toEqual(['video', 'audio']);
      }
      // nor in anything the visitor reads: the link and its list
      const reads = [
        await json(`${server.url}/api/s/${link.token}`, { anonymous: true }),
        await json(`${server.url}/api/s/${link.token}/photos`, { anonymous: true }),
      ];
      expect(reads.map((read) => read.status)).toEqual([200, 200]);
      expect(JSON.stringify(reads.map((read) => read.body))).not.toMatch(PLACE_TEXT);
    });

    it("refuses a clip its copy cannot be made of in the server's own words, once: asked again, it answers at once", async () => {
      // an MP4 with PCM sound, as Sony's XAVC S clips are: npm's ffmpeg (4.1) does not write PCM into an MP4
      const { ffmpeg, env } = await requireVideoTools();
      const mov = path.join(scratch, 'pcm.mov');
      await promisify(execFile)(
        ffmpeg,
        [
          '-v',
          'error',
          '-y',
          '-f',
          'lavfi',
          '-i',
          'testsrc2=size=160x120:rate=10:duration=1',
          '-f',
          'lavfi',
          '-i',
          'sine=duration=1',
          '-c:v',
          'libx264',
          '-preset',
          'veryfast',
          '-pix_fmt',
          'yuv420p',
          '-c:a',
          'pcm_s16le',
          '-f',
          'mov',
          mov,
        ],
        { env },
      );
      const clip = fs.readFileSync(mov);
      clip.write('mp42', clip.indexOf('ftyp') + 4, 'latin1');
      const uploaded = await upload(server.url, [{ path: save('C0001.MP4', clip) }]);
      expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
      const id = uploaded.body.items[0].id as string;
      await waitForTerminal(server.url, [id]);
      expect((await api(`/api/photos/${id}`)).body.mime).toBe('video/mp4');
      const link = await makeLink({ photoIds: [id, ids['DJI_0002.mov']!], allowDownload: true });
      const refusedBefore = await copiesCounted('video', 'refused');
      // the owner's check, as the share dialog makes it, names the clip before any visitor comes (before: no check, the
      // owner never heard); the other clip's copies are made and kept for its visitors
      const told =
        "this video could not be reduced to what the link shows (this server's ffmpeg could not copy its picture and sound into a new file of its type), so it is not offered here; its owner can let the link keep its metadata";
      const checked = await api(`/api/shared-links/${link.id}/check`, { method: 'POST' });
      expect(checked.status, JSON.stringify(checked.body)).toBe(200);
      expect(checked.body).toEqual({ checked: 1, unchecked: 0, refused: [{ photoId: id, filename: 'C0001.MP4', message: told }] });
      // its copies to play (an MP4) and to download (a MOV)
      expect(fs.readdirSync(path.join(server.dataDir, visitorCopiesPrefix(ids['DJI_0002.mov']!))).length).toBe(2);
      const answers = [];
      for (let i = 0; i < 3; i++) {
        const response = await visit(link.token, `/photos/${id}/original`);
        answers.push({ status: response.status, message: ((await response.json()) as { message: string }).message });
      }
      // the reason, not ffmpeg's words (before: "[mp4 @ 0x…] Could not find tag for codec pcm_s16le…")
      expect(answers).toEqual(Array(3).fill({ status: 403, message: told }));
      // stripped once, by the check: the visitors were told from memory (before: three times, each taking a slot)
      expect((await copiesCounted('video', 'refused')) - refusedBefore).toBe(1);
    });

    it('removes the copy of a photo deleted while its copy was made', async () => {
      // a 64 px picture with 48 MB after it (a JPEG's trailer): its copy takes a while to make, none to analyse
      const picture = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#a52' } })
        .jpeg()
        .toBuffer();
      const uploaded = await upload(server.url, [{ path: save('large.jpg', Buffer.concat([picture, Buffer.alloc(48 << 20)])) }]);
      expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
      const large = uploaded.body.items[0].id as string;
      await waitForTerminal(server.url, [large]);
      const link = await makeLink({ photoIds: [large], allowDownload: true });
      const asked = visit(link.token, `/photos/${large}/original`);
      // deleted while its work file is in the scratch folder
      for (const deadline = Date.now() + 10_000; fs.readdirSync(server.lib.scratch.dir).length === 0 && Date.now() < deadline;)
        await new Promise((resolve) => setTimeout(resolve, 2));
      expect(await deletePhoto(server.lib, large)).toBe(true);
      const stillMaking = fs.readdirSync(server.lib.scratch.dir).length > 0;
      const answer = await asked;
      expect(stillMaking, 'the copy was still being made when the photo went').toBe(true);
      // before: 200, and the copy left behind for good
      expect(answer.status).toBe(404);
      expect(fs.existsSync(path.join(server.dataDir, derivedPrefix(large)))).toBe(false);
    });

    it("gives a link's visitors originals that keep only the allow-list, in every container: JPEG, PNG, WebP, HEIC, MP4, MOV, motion photos", async () => {
      const link = await makeLink({ photoIds: Object.values(ids), allowDownload: true });
      const copies: Record<string, string> = {};
      for (const [name, id] of Object.entries(ids)) {
        const response = await visit(link.token, `/photos/${id}/original`);
        expect(response.status, name).toBe(200);
        copies[name] = save(`copy-${name}`, await bytes(response));
        expect(await placesLeftIn(copies[name]), name).toEqual([]);
      }
      // still the pictures they were, with their size, orientation, date and camera
      for (const name of ['utah.jpg', 'plot.png', 'denali.webp', 'IMG_2682.heic', 'samsung-motion.heic', 'PXL_motion.MP.jpg']) {
        const [before, after] = await Promise.all([
          exiftool.readRaw(path.join(media.dir, name), { readArgs: ['-n'] }),
          exiftool.readRaw(copies[name]!, { readArgs: ['-n'] }),
        ]);
        expect(after, name).toMatchObject({ ImageWidth: before['ImageWidth' as never], ImageHeight: before['ImageHeight' as never] });
      }
      expect(await exiftool.readRaw(copies['samsung-motion.heic']!, { readArgs: ['-n'] })).toMatchObject({
        Orientation: 6,
        Make: 'samsung',
        DateTimeOriginal: expect.stringMatching(/^2024:01:12 21:38:53/),
      });
      expect(await exiftool.readRaw(copies['denali.webp']!, { readArgs: ['-n'] })).toMatchObject({
        Model: 'Canon EOS 7D',
        DateTimeOriginal: expect.stringMatching(/^2010:08:13 21:00:01/),
      });
      // clips keep their picture and sound in their own container
      expect(await streamsOf(copies['DJI_0001.mp4']!)).toEqual({ kinds: ['video', 'audio'], brand: 'isom' });
      expect(await streamsOf(copies['DJI_0002.mov']!)).toEqual({ kinds: ['video', 'audio'], brand: 'qt' });
      // a motion photo's still comes without its video (which plays from …/video): no MP4 is left inside
      for (const name of ['PXL_motion.MP.jpg', 'samsung-motion.heic']) expect(fs.readFileSync(copies[name]!).indexOf('ftyp', 12, 'latin1'), name).toBe(-1);
    });
  });
});
